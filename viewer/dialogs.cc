// The viewer's windows: help (every command with its keys), Open (a path
// field and a directory listing, drawn in ImGui) and Save.
#include <algorithm>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <imgui.h>

#include "viewer/panels.h"

namespace acuity::viewer {
namespace {

void Copy(char* dest, size_t size, const std::string& text) {
  std::snprintf(dest, size, "%s", text.c_str());
}

void ListDirectory(PanelState& state) {
  if (state.listed_directory == state.directory) return;
  state.listed_directory = state.directory;
  state.listing.clear();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(state.directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    state.listing.push_back({name, entry.is_directory(ec)});
  }
  std::sort(state.listing.begin(), state.listing.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second : x.first < y.first;  // directories first
  });
}

void CentreNextWindow(float width, float height) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x / 2, display.y / 2), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Appearing);
}

}  // namespace

void DrawHelpWindow(const CommandRegistry& registry, bool* open) {
  if (!*open) return;
  CentreNextWindow(760, 480);
  if (ImGui::Begin("Commands and keys (F1)", open)) {
    ImGui::TextWrapped(
        "Every action is a command: the same words work in a script (acuity-viewer --script FILE). "
        "Wheel: zoom at the cursor. Drag: pan. Drag the divider: move the split. Drop files: open them.");
    if (ImGui::BeginTable("commands", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_Resizable)) {
      ImGui::TableSetupColumn("command");
      ImGui::TableSetupColumn("keys");
      ImGui::TableSetupColumn("what it does");
      ImGui::TableHeadersRow();
      for (const Command& c : registry.commands()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s %s", c.name.c_str(), c.grammar.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.keys.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", c.help.c_str());
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

void DrawOpenDialog(Session& session, const CommandRegistry& registry, PanelState& state) {
  if (!state.show_open) return;
  if (state.directory[0] == '\0') {
    std::error_code ec;
    Copy(state.directory, sizeof(state.directory), std::filesystem::current_path(ec).string());
  }
  CentreNextWindow(640, 460);
  if (ImGui::Begin("Open", &state.show_open)) {
    ImGui::InputText("folder", state.directory, sizeof(state.directory));
    ListDirectory(state);
    ImGui::InputText("A (input)", state.path_a, sizeof(state.path_a));
    ImGui::InputText("B (to compare)", state.path_b, sizeof(state.path_b));
    ImGui::TextDisabled("Click: set A. Right-click: set B. Double-click a folder: enter it.");
    if (ImGui::BeginChild("listing", ImVec2(0, -32), true)) {
      if (ImGui::Selectable("../", false, ImGuiSelectableFlags_AllowDoubleClick) && ImGui::IsMouseDoubleClicked(0))
        Copy(state.directory, sizeof(state.directory),
             std::filesystem::path(state.directory).parent_path().string());
      for (const auto& [name, is_dir] : state.listing) {
        const std::string full = (std::filesystem::path(state.directory) / name).string();
        if (ImGui::Selectable((name + (is_dir ? "/" : "")).c_str(), full == state.path_a,
                              ImGuiSelectableFlags_AllowDoubleClick)) {
          if (is_dir && ImGui::IsMouseDoubleClicked(0)) Copy(state.directory, sizeof(state.directory), full);
          else if (!is_dir) Copy(state.path_a, sizeof(state.path_a), full);
        }
        if (!is_dir && ImGui::IsItemClicked(ImGuiMouseButton_Right)) Copy(state.path_b, sizeof(state.path_b), full);
      }
    }
    ImGui::EndChild();
    if (ImGui::Button("Open") && state.path_a[0]) {
      std::vector<std::string> words = {"open", state.path_a};
      if (state.path_b[0]) words.push_back(state.path_b);
      if (absl::Status s = registry.Run(words); s.ok()) state.show_open = false;
      else session.Say(std::string(s.message()));
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) state.show_open = false;
  }
  ImGui::End();
}

void DrawSaveDialog(Session& session, const CommandRegistry& registry, PanelState& state) {
  if (!state.show_save) return;
  if (state.save_path[0] == '\0' && !session.a().path.empty()) {
    const std::filesystem::path a(session.a().path);
    Copy(state.save_path, sizeof(state.save_path),
         (a.parent_path() / (a.stem().string() + "-acuity.png")).string());
  }
  CentreNextWindow(560, 130);
  if (ImGui::Begin("Save the enhancement", &state.show_save)) {
    ImGui::InputText("path", state.save_path, sizeof(state.save_path));
    ImGui::TextDisabled(".jpg .png .tif .webp; written atomically with A's metadata; never over A");
    if (ImGui::Button("Save")) {
      if (absl::Status s = registry.Run({"save", state.save_path}); s.ok()) state.show_save = false;
      else session.Say(std::string(s.message()));
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) state.show_save = false;
  }
  ImGui::End();
}

}  // namespace acuity::viewer
