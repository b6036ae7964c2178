// Which exactly flat areas of lossy-coded pixels a drawing left (a panel, a
// page, a chart's or a product's background) and which the coding made of
// a photo's smooth areas. A JPEG codes a smooth area's blocks by their
// means alone: a sky, a wall or a soft background comes out as flat
// patches, each a level or one step of the block mean's quantisation from
// the next (a gradation), or as a block or two of one mean among textured
// ones; a drawn fill is one colour over many blocks, bounded by its drawn
// edges. content_kind.h reads a JPEG that looks photographed in places by
// these fills: its smooth areas no longer make it "mixed". At a low quality
// a textured photo's blocks are coded by their means too (a brick wall at
// q40 keeps a third of its pixels flat): such an area runs on into the
// texture the coding kept around it, at its own level.
//
//   cv::Mat fills = acuity::DrawnFillMask(luma8, acuity::ExactlyFlatMask(px8));
//   double fill_pct = 100.0 * cv::countNonZero(fills) / double(px8.total());
//
// Tuned on datasets/content_kind_jpeg.sh and on scikit-image photos blurred
// by 0.6–1 px at JPEG q75 and q90; held out: datasets/content_kind_heldout.py
// (other encoder settings, other drawings); datasets/RESULTS.md, "Content
// kind".
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_DRAWN_FILLS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_DRAWN_FILLS_H_

#include <opencv2/core.hpp>

#include "analysis/measurements/coded_blocks.h"

namespace acuity {

// A fill covers at least this many pixels, px (four 8×8 coding blocks' worth;
// a run of one colour 2×3 blocks or larger, as a flat area's rim pixels
// see the next block): a block of a smooth area coded by its mean alone is
// flat over at most its 64 px, and a few such blocks of one mean side by
// side make no fill.
inline constexpr int kMinFillPx = 256;
// A flat area is a gradation when at least kGradationOutlineShare of its
// outline (its pixels with a 4-neighbour that is not flat; the picture's
// border is none) has, kGradationStepPx px away along a row or a column, a
// flat pixel of another flat area of at least kGradationMinNeighbourPx px
// whose luma differs by 1 to kGradationMaxStep8bit levels: the next step
// of a smooth ramp, or the next block's mean (a JPEG q25 quantises a block's
// mean in steps of about 4 levels). (Flat pixels of two colours are never
// nearer: the pixel between them would be in both their 3×3 neighbourhoods.)
// Luma, not colour: a JPEG's subsampled chroma leaves a drawn fill's flat
// patches a level apart in one channel. The neighbour's size leaves out
// the patches of a JPEG's ringing beside a drawn edge (a few pixels each);
// and only pixels away from drawn edges (`codable` below) are compared,
// while the outline counts all of an area's (so an area bordered mostly by
// strong edges stays a fill).
inline constexpr int kGradationStepPx = 3;
inline constexpr int kGradationMaxStep8bit = 4;
inline constexpr int kGradationMinNeighbourPx = 36;
inline constexpr double kGradationOutlineShare = 0.25;
// With the coding's blocks (CodedBlocks), the pixel kGradationStepPx px out
// may also lie in a block of texture (CodedBlocks::texture) whose mean luma
// is within kGradationMaxStep8bit of the area's and whose range is at most
// kRunOnMaxRange8bit: the area runs on into the photo's texture at its own
// level (a photo's block coded by its mean alone has such neighbours). A
// drawn fill meets its drawn edges instead, which span more levels than
// this, or none (the ringing of a colour edge in subsampled chroma leaves
// the luma flat or a plane).
inline constexpr int kRunOnMaxRange8bit = 16;

// CV_8U, 255 on the pixels of `flat` (CV_8U: content_kind.h ExactlyFlatMask
// of the picture, or fewer of its pixels: clipped or hidden ones left out;
// content_kind.cc passes the flat pixels that run across coding blocks, so
// a gradation's neighbours are such patches too) in fills: its 8-connected areas (each one colour: two flat pixels side by
// side are the same colour) of at least kMinFillPx px that are no
// gradation (nor run on into texture, with `blocks`). `luma8`: the picture's luma, CV_8U, of flat's size.
// Gradation steps are read where `codable` (CV_8U, same size; empty: all
// pixels) is set at both ends: outside the coding blocks a strong edge
// crosses, whose ringing leaves patches a level or two from a drawn fill.
// `blocks` (nullptr: none), the coding's blocks of `luma8` (coded_blocks.h),
// for the texture an area runs on into.
cv::Mat DrawnFillMask(const cv::Mat& luma8, const cv::Mat& flat, const cv::Mat& codable = cv::Mat(),
                      const CodedBlocks* blocks = nullptr);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_DRAWN_FILLS_H_
