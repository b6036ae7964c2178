// The triage table of a batch's results (viewer/triage.h) in place of the
// canvas: a bar with the filter (verdicts, decisions, the batch's warning
// codes), the order, the counts and the keys; then one row per listed item —
// thumbnail, file, verdict, worst reading, warnings, decision — drawn
// through a list clipper, so 10 000 rows cost what the visible ones cost.
// Clicking a row selects it, double-clicking opens it; the side panel
// shows the selected item's record. Every action runs a
// command of the registry. UI thread only (ImGui).
//
//   if (session.triage_shown()) {
//     acuity::viewer::DrawTriageTable(session, registry, textures, triage_view);
//     acuity::viewer::DrawTriageDetails(session);   // in the side panel
//   }
#ifndef ACUITY_VIEWER_TRIAGE_VIEW_H_
#define ACUITY_VIEWER_TRIAGE_VIEW_H_

#include "viewer/commands.h"
#include "viewer/session.h"
#include "viewer/textures.h"

namespace acuity::viewer {

// What the table remembers between frames.
struct TriageViewState {
  int scrolled_to = -1;  // the selected row the table last scrolled into view
};

void DrawTriageTable(Session& session, const CommandRegistry& registry, TextureCache& textures,
                     TriageViewState& state);
void DrawTriageDetails(const Session& session);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_TRIAGE_VIEW_H_
