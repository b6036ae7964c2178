#include "datasets/markdown_blocks.h"

#include <fstream>
#include <iostream>
#include <iterator>

namespace acuity::datasets {

std::string BlockBegin(const std::string& name) { return "<!-- " + name + ": begin -->"; }
std::string BlockEnd(const std::string& name) { return "<!-- " + name + ": end -->"; }

std::string BlockOf(const std::string& markdown, const std::string& name) {
  const std::string end_marker = BlockEnd(name);
  const size_t begin = markdown.find(BlockBegin(name));
  const size_t end = markdown.find(end_marker);
  if (begin == std::string::npos || end == std::string::npos || end < begin) return "";
  size_t stop = end + end_marker.size();
  if (stop < markdown.size() && markdown[stop] == '\n') ++stop;
  return markdown.substr(begin, stop - begin);
}

std::string WithBlock(const std::string& markdown, const std::string& block, const std::string& name) {
  if (block.empty()) return markdown;
  if (const std::string old = BlockOf(markdown, name); !old.empty()) {
    std::string out = markdown;
    // The old block took its line's end with it: keep what follows on a line of its own.
    const bool needs_newline = old.back() == '\n' && block.back() != '\n';
    out.replace(out.find(old), old.size(), needs_newline ? block + "\n" : block);
    return out;
  }
  if (markdown.empty()) return block;
  return markdown + (markdown.back() == '\n' ? "\n" : "\n\n") + block;
}

void WriteBlockInto(const std::string& path, const std::string& block, const std::string& name) {
  if (path.empty()) {
    std::cout << block;
    return;
  }
  std::string old;
  if (std::ifstream in(path); in) old.assign(std::istreambuf_iterator<char>(in), {});
  std::ofstream(path) << WithBlock(old, block, name);
}

}  // namespace acuity::datasets
