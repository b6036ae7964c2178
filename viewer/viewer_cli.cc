#include "viewer/viewer_cli.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "analysis/advice/plan_ops.h"
#include "viewer/commands.h"
#include "viewer/session.h"
#include "viewer/viewer_commands.h"

namespace acuity::viewer {
namespace {

cli::ArgParser ViewerArgParser() {
  cli::ArgParser parser("", "acuity-viewer");
  parser.AddOption("script", "FILE", "run the commands of FILE (one a line, # comments), then keep the window");
  parser.AddOption("size", "WxH", "window size in px (default 1280x800, at least 320x240)");
  parser.AddFlag("version", "print the version and exit");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

// The script commands and the keys, from the registry every key, button and
// script runs through (bound to a session without a window: only listed).
std::vector<cli::HelpSection> RegistrySections() {
  Session session;
  CommandRegistry registry;
  if (!RegisterViewerCommands(session, WindowHooks{}, registry).ok()) return {};
  size_t line_width = 0, keys_width = 0;
  for (const Command& c : registry.commands()) {
    line_width = std::max(line_width, c.name.size() + 1 + c.grammar.size());
    keys_width = std::max(keys_width, c.keys.size());
  }
  std::string commands, keys;
  std::string commands_md = "| command | what it does | key |\n|---|---|---|\n";
  for (const Command& c : registry.commands()) {
    const std::string line = c.grammar.empty() ? c.name : c.name + " " + c.grammar;
    commands += fmt::format("  {:<{}} {}\n", line, line_width, c.help);
    commands_md += fmt::format("| `{}` | {} | {} |\n", MarkdownCell(line), MarkdownCell(c.help),
                               c.keys.empty() ? "" : "`" + MarkdownCell(c.keys) + "`");
    if (!c.keys.empty()) keys += fmt::format("  {:<{}} {}\n", c.keys, keys_width, c.help);
  }
  return {{"script commands (--script FILE; also what each key and button runs)", commands, commands_md},
          {"keys (F1 lists them in the window)", keys, ""}};
}

}  // namespace

cli::ProgramSpec ViewerProgram() {
  return {"acuity-viewer",
          "look at an image's measurements and maps, compare two images, run the advised plan, triage a batch",
          {"acuity-viewer [--script FILE] [--size WxH] [A [B]]", "acuity-viewer [--script FILE] [--size WxH] DIR"},
          "Look at an image's measurements and maps, compare A with B, run the advised plan.\n"
          "DIR (the --out folder of acuity batch) opens its results as a table to triage: sort, filter,\n"
          "open an item beside its output, and mark it accepted or rejected (DIR/decisions.jsonl).\n"
          "F1 in the window lists every command and key; a script holds one command per line.\n",
          ViewerArgParser,
          {},
          RegistrySections(),
          {{0, "the script reached `quit`, or the window was closed"},
           {1, "a script line failed (FILE:LINE: message)"},
           {2, "bad usage, or no display to open the window on"}}};
}

absl::StatusOr<ViewerArgs> ParseViewerArgs(const std::vector<std::string>& args) {
  absl::StatusOr<cli::ParsedArgs> parsed = ViewerArgParser().Parse(args);
  if (!parsed.ok()) return parsed.status();
  ViewerArgs out;
  out.help = parsed->Has("help");
  out.version = parsed->Has("version");
  if (auto script = parsed->Get("script")) out.options.script_path = *script;
  if (auto size = parsed->Get("size")) {
    AppOptions& o = out.options;
    char rest = 0;
    if (std::sscanf(size->c_str(), "%dx%d%c", &o.width_px, &o.height_px, &rest) != 2 || o.width_px < 320 ||
        o.height_px < 240 || o.width_px > 16384 || o.height_px > 16384)
      return absl::InvalidArgumentError("--size takes WxH, e.g. 1280x800 (at least 320x240)");
  }
  out.options.open = parsed->positional();
  if (out.options.open.size() > 2) return absl::InvalidArgumentError("give at most two images (A and B)");
  return out;
}

}  // namespace acuity::viewer
