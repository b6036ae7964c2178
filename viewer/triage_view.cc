#include "viewer/triage_view.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <imgui.h>

#include <string>
#include <vector>

#include "viewer/panels.h"

namespace acuity::viewer {
namespace {

constexpr float kRowPadPx = 4;
constexpr const char* kDecisionFilters[] = {"undecided", "accepted", "rejected"};

ImVec4 VerdictColour(const std::string& verdict) {
  if (verdict == "error" || verdict == "fail") return ImVec4(0.95f, 0.35f, 0.3f, 1);
  if (verdict == "warn") return ImVec4(0.95f, 0.75f, 0.25f, 1);
  if (verdict == "fix") return ImVec4(0.45f, 0.7f, 1.0f, 1);
  if (verdict == "measured") return ImVec4(0.7f, 0.7f, 0.7f, 1);  // no plan: not judged
  return ImVec4(0.45f, 0.85f, 0.45f, 1);
}

void FilterBar(Session& session, const CommandRegistry& registry, const Triage& t) {
  ImGui::SetNextItemWidth(170);
  if (ImGui::BeginCombo("filter", t.filter().c_str())) {
    if (ImGui::Selectable("all", t.filter() == "all")) RunOrSay(session, registry, {"filter", "all"});
    for (const char* f : batch::kCatalogueVerdicts)
      if (ImGui::Selectable(f, t.filter() == f)) RunOrSay(session, registry, {"filter", f});
    for (const char* f : kDecisionFilters)
      if (ImGui::Selectable(f, t.filter() == f)) RunOrSay(session, registry, {"filter", f});
    ImGui::Separator();
    for (const std::string& code : t.codes())
      if (ImGui::Selectable(code.c_str(), t.filter() == code))
        RunOrSay(session, registry, {"filter", code});
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::BeginCombo("sort", TriageSortName(t.sort()))) {
    for (const char* order : {"severity", "path", "reading"})
      if (ImGui::Selectable(order, order == std::string(TriageSortName(t.sort()))))
        RunOrSay(session, registry, {"sort", order});
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Text("%zu of %zu listed · %d accepted · %d rejected", t.rows().size(), t.items().size(),
              t.accepted(), t.rejected());
}

// Text in the current table cell from its `first_line`, wrapped to the
// cell's width and clipped to `height_px`: drawn without moving the layout,
// so every row keeps the height the list clipper and the scrolling count on
// (a long error or list of codes is cut, not a taller row).
void CellText(const std::string& text, ImU32 colour, float height_px, int first_line = 0) {
  const ImVec2 cell = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const ImVec2 at(cell.x, cell.y + first_line * ImGui::GetTextLineHeight());
  const ImVec4 clip(cell.x, cell.y, cell.x + width, cell.y + height_px);
  ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at, colour,
                                      text.c_str(), nullptr, width, &clip);
}

void Row(Session& session, const CommandRegistry& registry, TextureCache& textures, const Triage& t,
         int row, float row_h) {
  const int index = t.rows()[row];
  const batch::CatalogueItem& item = t.items()[index];
  ImGui::TableNextRow(0, row_h);
  ImGui::TableSetColumnIndex(0);
  ImGui::PushID(row);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (ImGui::Selectable("##row", row == t.selected_row(),
                        ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick,
                        ImVec2(0, row_h - kRowPadPx))) {
    RunOrSay(session, registry, {"select", std::to_string(row + 1)});
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
      RunOrSay(session, registry, {"open-item"});
  }
  if (std::shared_ptr<const DisplayImage> thumb = session.Thumbnail(item.source_path)) {
    const float w = float(thumb->full.cols), h = float(thumb->full.rows);
    const Rect dest{origin.x + (kThumbnailPx - w) / 2, origin.y + (kThumbnailPx - h) / 2, w, h};
    const ImVec2 clip_min = ImGui::GetWindowDrawList()->GetClipRectMin(),
                 clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
    textures.Get(thumb).Draw(
        ImGui::GetWindowDrawList(), dest,
        Rect{clip_min.x, clip_min.y, clip_max.x - clip_min.x, clip_max.y - clip_min.y},
        IM_COL32_WHITE);
  }
  const float text_h = row_h - kRowPadPx;
  ImGui::TableSetColumnIndex(1);
  CellText(item.path, ImGui::GetColorU32(ImGuiCol_Text), text_h);
  if (!item.error.empty())
    CellText(item.error, ImGui::GetColorU32(ImGuiCol_TextDisabled), text_h, /*first_line=*/1);
  ImGui::TableSetColumnIndex(2);
  CellText(item.verdict, ImGui::GetColorU32(VerdictColour(item.verdict)), text_h);
  ImGui::TableSetColumnIndex(3);
  const std::string& reading = t.readings()[index].text;
  CellText(reading.empty() ? "—" : reading, ImGui::GetColorU32(ImGuiCol_Text), text_h);
  ImGui::TableSetColumnIndex(4);
  std::vector<std::string> codes = item.warnings;
  codes.insert(codes.end(), item.failed_checks.begin(), item.failed_checks.end());
  CellText(codes.empty() ? "—" : fmt::format("{}", fmt::join(codes, ", ")),
           ImGui::GetColorU32(ImGuiCol_Text), text_h);
  ImGui::TableSetColumnIndex(5);
  if (const std::optional<Decision> d = t.DecisionOf(index))
    CellText(DecisionName(*d),
             ImGui::GetColorU32(*d == Decision::kAccepted ? ImVec4(0.45f, 0.85f, 0.45f, 1)
                                                          : ImVec4(0.95f, 0.35f, 0.3f, 1)),
             text_h);
  ImGui::PopID();
}

}  // namespace

void DrawTriageTable(Session& session, const CommandRegistry& registry, TextureCache& textures,
                     TriageViewState& state) {
  Triage* t = session.triage();
  if (t == nullptr) return;
  FilterBar(session, registry, *t);
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                     ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("##triage", 6, kFlags, ImGui::GetContentRegionAvail())) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, float(kThumbnailPx));
  ImGui::TableSetupColumn("file", ImGuiTableColumnFlags_WidthStretch, 3);
  ImGui::TableSetupColumn("verdict", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn("worst reading", ImGuiTableColumnFlags_WidthFixed, 140);
  ImGui::TableSetupColumn("warnings", ImGuiTableColumnFlags_WidthStretch, 4);
  ImGui::TableSetupColumn("decision", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableHeadersRow();
  const float row_h = float(kThumbnailPx) + kRowPadPx;
  // Keep the selected row in view when it moved (keys, commands).
  if (t->selected_row() != state.scrolled_to && t->selected_row() >= 0) {
    const float top = t->selected_row() * row_h,
                view_h = ImGui::GetWindowHeight() - ImGui::GetFrameHeight();
    if (top < ImGui::GetScrollY())
      ImGui::SetScrollY(top);
    else if (top + row_h > ImGui::GetScrollY() + view_h)
      ImGui::SetScrollY(top + row_h - view_h);
  }
  state.scrolled_to = t->selected_row();
  ImGuiListClipper clipper;
  clipper.Begin(int(t->rows().size()), row_h);
  while (clipper.Step())
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row)
      Row(session, registry, textures, *t, row, row_h);
  ImGui::EndTable();
}

void DrawTriageDetails(const Session& session) {
  const Triage* t = session.triage();
  if (t == nullptr) return;
  ImGui::TextUnformatted(t->dir().c_str());
  ImGui::TextDisabled("J/K move · Enter open · Y accept · R reject · T table");
  ImGui::Separator();
  const std::optional<int> index = t->selected_item();
  if (!index) {
    ImGui::TextDisabled("nothing listed");
    return;
  }
  const batch::CatalogueItem& item = t->items()[*index];
  ImGui::TextWrapped("%s", item.path.c_str());
  ImGui::TextColored(VerdictColour(item.verdict), "%s", item.verdict.c_str());
  if (const std::optional<Decision> d = t->DecisionOf(*index))
    ImGui::Text("decision: %s", DecisionName(*d));
  if (!item.error.empty()) ImGui::TextWrapped("error: %s", item.error.c_str());
  auto reading = [](const char* name, const std::optional<double>& v, const char* format) {
    if (v)
      ImGui::Text("%s %s", name, fmt::format(fmt::runtime(format), *v).c_str());
    else
      ImGui::TextDisabled("%s not measured", name);
  };
  reading("blur σ", item.blur_sigma_px, "{:.2f} px");
  reading("noise σ", item.noise_sigma_8bit, "{:.1f} (8-bit)");
  reading("JPEG quality", item.jpeg_quality, "{:.0f}");
  reading("effective dpi", item.effective_dpi, "{:.0f}");
  reading("native scale", item.native_scale, "{:.2f}");
  if (!t->target().empty()) ImGui::Text("batch target: %s", t->target().c_str());
  if (!item.warnings.empty())
    ImGui::TextWrapped("warnings: %s", fmt::format("{}", fmt::join(item.warnings, ", ")).c_str());
  if (!item.failed_checks.empty())
    ImGui::TextWrapped("QA checks: %s",
                       fmt::format("{}", fmt::join(item.failed_checks, ", ")).c_str());
  if (!item.steps.empty())
    ImGui::TextWrapped("plan: %s", fmt::format("{}", fmt::join(item.steps, " → ")).c_str());
  if (!item.output.empty()) ImGui::TextWrapped("output: %s", item.output.c_str());
}

}  // namespace acuity::viewer
