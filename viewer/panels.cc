#include "viewer/panels.h"

#include <cmath>

#include <fmt/format.h>
#include <imgui.h>

namespace acuity::viewer {
namespace {

ImVec4 LevelColour(VerdictLevel level) {
  switch (level) {
    case VerdictLevel::kGood: return ImVec4(0.45f, 0.85f, 0.45f, 1);
    case VerdictLevel::kFair: return ImVec4(0.95f, 0.80f, 0.30f, 1);
    case VerdictLevel::kPoor: return ImVec4(0.95f, 0.40f, 0.35f, 1);
    case VerdictLevel::kNotMeasured: break;
  }
  return ImVec4(0.7f, 0.7f, 0.7f, 1);
}

ImVec4 QaColour(QaStatus s) {
  return LevelColour(s == QaStatus::kPass ? VerdictLevel::kGood : s == QaStatus::kWarn ? VerdictLevel::kFair
                                                                                        : VerdictLevel::kPoor);
}

void Measurements(const Document& doc, const char* which) {
  if (!ImGui::CollapsingHeader(fmt::format("Measurements of {}###m{}", which, which).c_str(),
                               ImGuiTreeNodeFlags_DefaultOpen))
    return;
  if (doc.analyzing || doc.loading) ImGui::TextDisabled("measuring %s…", doc.label.c_str());
  if (!doc.note.empty()) ImGui::TextWrapped("%s", doc.note.c_str());
  if (!doc.analysis) return;
  ImGui::TextDisabled("%s: %d×%d px, %s", doc.label.c_str(), doc.analysis->input.width, doc.analysis->input.height,
                      ImageFormatName(doc.analysis->input.format));
  for (const PlainVerdict& v : doc.verdicts) {
    ImGui::TextColored(LevelColour(v.level), "%s", VerdictLevelWord(v.level));
    ImGui::SameLine();
    ImGui::Text("%s: %s", v.title.c_str(), v.value.c_str());
    ImGui::Indent();
    ImGui::TextWrapped("%s", v.words.c_str());
    ImGui::Unindent();
  }
}

void PlanSection(const Document& doc) {
  if (!ImGui::CollapsingHeader("Advised plan for A", ImGuiTreeNodeFlags_DefaultOpen) || !doc.analysis) return;
  if (doc.plan.steps.empty()) ImGui::TextWrapped("Leave it as it is: %s.", LeaveAsIsWords(doc.plan, *doc.analysis).c_str());
  for (size_t i = 0; i < doc.plan.steps.size(); ++i) {
    ImGui::Text("%zu. %s", i + 1, PlanStepText(doc.plan.steps[i]).c_str());
    ImGui::Indent();
    ImGui::TextWrapped("because %s", doc.plan.steps[i].reason.c_str());
    ImGui::Unindent();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, LevelColour(VerdictLevel::kFair));
  for (const Warning& w : doc.plan.warnings) ImGui::TextWrapped("warning [%s]: %s", w.code.c_str(), w.message.c_str());
  ImGui::PopStyleColor();
}

void EnhanceSection(Session& session, const CommandRegistry& registry, PanelState& state) {
  if (!ImGui::CollapsingHeader("Enhance", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::SetNextItemWidth(-70);
  ImGui::InputText("steps", state.steps, sizeof(state.steps));
  const EnhanceStatus status = session.enhance_status();
  if (!status.running) {
    if (ImGui::Button("Enhance (E)")) RunOrSay(session, registry, {"enhance", state.steps});
  } else if (ImGui::Button("Cancel (Esc)")) {
    RunOrSay(session, registry, {"cancel"});
  }
  ImGui::SameLine();
  if (ImGui::Button("Save… (Ctrl+S)")) RunOrSay(session, registry, {"save"});
  if (status.running) {
    ImGui::Text("step %d of %d: %s (%.0f s)", status.step_index + 1, status.step_count, status.step.c_str(),
                status.step_elapsed_s);
    const std::string overall =
        status.seconds_left ? fmt::format("{:.0f} %, about {:.0f} s left", status.fraction * 100, *status.seconds_left)
                            : fmt::format("{:.0f} %", status.fraction * 100);
    ImGui::ProgressBar(float(status.step_fraction), ImVec2(-1, 0),
                       fmt::format("step {}/{}: {:.0f} %", status.step_index + 1, status.step_count,
                                   status.step_fraction * 100)
                           .c_str());
    ImGui::ProgressBar(float(status.fraction), ImVec2(-1, 0), overall.c_str());
  } else if (!status.last_outcome.empty()) {
    ImGui::TextWrapped("last run: %s", status.last_outcome.c_str());
    for (const std::string& line : status.log) ImGui::BulletText("%s", line.c_str());
  }
}

void QaSection(const Session& session) {
  if (!session.HasPair() || !ImGui::CollapsingHeader("QA of B against A", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!session.qa()) {
    ImGui::TextWrapped("%s", session.qa_note().empty() ? "checking…" : session.qa_note().c_str());
    return;
  }
  const QaReport& qa = *session.qa();
  ImGui::TextColored(QaColour(qa.verdict), "verdict: %s", QaStatusName(qa.verdict));
  for (const QaCheck& c : qa.checks) {
    ImGui::TextColored(QaColour(c.status), "%-4s", QaStatusName(c.status));
    ImGui::SameLine();
    ImGui::Text("%s %.3g %s (limit %.3g)", c.name.c_str(), c.value, c.unit.c_str(), c.threshold);
    if (ImGui::IsItemHovered() && !c.message.empty()) ImGui::SetTooltip("%s", c.message.c_str());
  }
}

void Histogram(const Document& doc) {
  if (!ImGui::CollapsingHeader("Tones", ImGuiTreeNodeFlags_DefaultOpen) || !doc.histogram.valid) return;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x, h = 90;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + w, at.y + h), IM_COL32(25, 27, 32, 255));
  const ImU32 colours[4] = {IM_COL32(90, 140, 255, 255), IM_COL32(90, 210, 120, 255), IM_COL32(255, 100, 100, 255),
                            IM_COL32(240, 240, 240, 255)};
  for (int c = 0; c < 4; ++c) {
    ImVec2 points[64];
    for (int i = 0; i < 64; ++i)
      points[i] = ImVec2(at.x + (i + 0.5f) * w / 64, at.y + h - 2 - doc.histogram.bins[c][i] * (h - 6));
    draw->AddPolyline(points, 64, colours[c], 0, c == 3 ? 2.0f : 1.0f);
  }
  ImGui::Dummy(ImVec2(w, h));
  ImGui::TextDisabled("%s: 0 (black) … 255 (white); B, G, R and luma (white)", doc.label.c_str());
}

void Inspector(const Session& session, const std::optional<Vec2>& hovered_grid) {
  if (!ImGui::CollapsingHeader("Pixel", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!hovered_grid) {
    ImGui::TextDisabled("point at the image");
    return;
  }
  for (const std::string& line : InspectPixel(session, *hovered_grid)) ImGui::TextUnformatted(line.c_str());
}

}  // namespace

void RunOrSay(Session& session, const CommandRegistry& registry, const std::vector<std::string>& words) {
  if (absl::Status s = registry.Run(words); !s.ok()) session.Say(std::string(s.message()));
}

std::vector<std::string> InspectPixel(const Session& session, Vec2 grid_px) {
  std::vector<std::string> lines;
  for (int which = 0; which < 2; ++which) {
    const Document& d = which == 0 ? session.a() : session.b();
    if (!d.image) continue;
    const Vec2 p = GridToImage(session.Grid(), d.Size(), grid_px);
    const int x = int(std::floor(p.x)), y = int(std::floor(p.y));
    const cv::Mat& m = d.image->pixels;
    if (x < 0 || y < 0 || x >= m.cols || y >= m.rows) continue;
    const int ch = m.channels();
    auto value = [&](int c) {
      return m.depth() == CV_16U ? int(m.ptr<uint16_t>(y)[x * ch + c]) : int(m.ptr<uint8_t>(y)[x * ch + c]);
    };
    std::string values = ch == 1 ? fmt::format(" gray {}", value(0))
                                 : fmt::format(" R {} G {} B {}", value(2), value(1), value(0));
    if (ch == 4) values += fmt::format(" A {}", value(3));
    lines.push_back(fmt::format("{} ({}, {}):{} ({}-bit)", which == 0 ? "A" : "B", x, y, values,
                                m.depth() == CV_16U ? 16 : 8));
  }
  return lines;
}

void DrawToolbar(Session& session, const CommandRegistry& registry) {
  const ViewState& view = session.view();
  for (const char* mode : {"a", "b", "split", "side", "diff", "flicker"}) {
    const bool active = ParseCompareMode(mode) == view.mode;
    if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(mode)) RunOrSay(session, registry, {"mode", mode});
    if (active) ImGui::PopStyleColor();
    ImGui::SameLine();
  }
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  if (ImGui::Button("fit")) RunOrSay(session, registry, {"zoom", "fit"});
  ImGui::SameLine();
  if (ImGui::Button("100 %")) RunOrSay(session, registry, {"zoom", "1"});
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  const std::vector<std::string> names = session.OverlayNames();
  ImGui::SetNextItemWidth(150);
  if (ImGui::BeginCombo("##overlay", view.overlay.empty() ? "no overlay" : view.overlay.c_str())) {
    if (ImGui::Selectable("no overlay", view.overlay.empty())) RunOrSay(session, registry, {"overlay", "off"});
    for (size_t i = 0; i < names.size(); ++i)
      if (ImGui::Selectable(fmt::format("{}  ({})", names[i], i + 2).c_str(), names[i] == view.overlay))
        RunOrSay(session, registry, {"overlay", names[i]});
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  float opacity = float(session.view().overlay_opacity);
  if (ImGui::SliderFloat("opacity", &opacity, 0, 1, "%.2f")) session.view().overlay_opacity = opacity;
  ImGui::SameLine();
  if (ImGui::Button("Open…")) RunOrSay(session, registry, {"open"});
  ImGui::SameLine();
  if (ImGui::Button("Help (F1)")) RunOrSay(session, registry, {"help"});
}

void DrawSidePanel(Session& session, const CommandRegistry& registry, PanelState& state,
                   const std::optional<Vec2>& hovered_grid) {
  if (ImGui::CollapsingHeader("Target", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::SetNextItemWidth(-70);
    const bool entered = ImGui::InputTextWithHint("##target", "8x10in@300dpi, A4, 4k, none", state.target,
                                                  sizeof(state.target), ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (ImGui::Button("Apply") || entered)
      RunOrSay(session, registry, {"target", state.target[0] ? state.target : "none"});
    if (!session.target_text().empty()) ImGui::TextDisabled("target: %s", session.target_text().c_str());
  }
  Measurements(session.a(), "A");
  if (session.HasPair()) Measurements(session.b(), "B");
  PlanSection(session.a());
  EnhanceSection(session, registry, state);
  QaSection(session);
  Histogram(session.view().mode == CompareMode::kB ? session.b() : session.a());
  Inspector(session, hovered_grid);
}

void DrawStatusLine(const Session& session) {
  const auto& messages = session.messages();
  ImGui::TextDisabled("%s", messages.empty() ? "ready" : messages.back().c_str());
}

}  // namespace acuity::viewer
