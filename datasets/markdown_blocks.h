// Blocks of a generated Markdown report that another tool, or a person,
// writes: an HTML-comment marker pair `<!-- NAME: begin -->` … `<!-- NAME:
// end -->` fences each one, and the tool that regenerates the rest of the
// file carries the blocks over unchanged.
//
//   std::string wild = acuity::datasets::BlockOf(old, "wild_evaluate");
//   report = acuity::datasets::WithBlock(report, wild, "wild_evaluate");
#ifndef ACUITY_DATASETS_MARKDOWN_BLOCKS_H_
#define ACUITY_DATASETS_MARKDOWN_BLOCKS_H_

#include <string>

namespace acuity::datasets {

// The block ai_upscale_evaluate writes (AI-upscaled files, issue #25).
inline constexpr char kAiUpscaleBlockName[] = "ai_upscale";
// The block datasets/content_ladder.py writes (faces and text, issue #23).
inline constexpr char kContentLadderBlockName[] = "content_ladder";
// The blocks dither_evaluate and datasets/dither_peers.py write (dithered
// few-colour pictures, issue #25).
inline constexpr char kDitherBlockName[] = "dither";
inline constexpr char kDitherPeersBlockName[] = "dither_peers";
// The block of straightened enlargements (issue #25), written by hand from
// TiltedGridTest's counts and datasets/tilted_grid_peers.py.
inline constexpr char kTiltedGridBlockName[] = "tilted_grid";

// "<!-- NAME: begin -->" and "<!-- NAME: end -->".
std::string BlockBegin(const std::string& name);
std::string BlockEnd(const std::string& name);

// The block NAME of `markdown`, markers and the end marker's newline
// included; empty when the file has no such block.
std::string BlockOf(const std::string& markdown, const std::string& name);

// `markdown` with its block NAME replaced by `block`, or `block` appended
// after a blank line when it has none. An empty `block` leaves it as it is.
std::string WithBlock(const std::string& markdown, const std::string& block, const std::string& name);

// Writes `block` as the block NAME of the file at `path` (created when
// missing; the rest of it kept), or to stdout when `path` is empty: what an
// evaluation tool that owns one block of RESULTS.md does last.
void WriteBlockInto(const std::string& path, const std::string& block, const std::string& name);

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_MARKDOWN_BLOCKS_H_
