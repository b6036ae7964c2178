// What kind of picture this is: a photo (every area carries some grain or
// gradation), synthetic content (screenshots, UI, charts, drawings: exactly
// flat areas bounded by hard edges, few colours) or a mix of both (a photo
// inside a page, a product on a pure background). The readings that assume a
// camera's image (noise, native scale, QA's seams and painted flats, the
// encode step) use the same exact-flatness test (ExactlyFlatMask) so that
// graphics are measured as graphics.
//
//   acuity::ContentResult c = acuity::MeasureContent(image.pixels).result;
//   if (c.kind == acuity::ContentKind::kSynthetic) Encode(acuity::ImageFormat::kPng);
//
// Everything is read on the 8-bit rendering (16-bit pixels rounded).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_CONTENT_KIND_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_CONTENT_KIND_H_

#include <optional>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

namespace acuity {

enum class ContentKind { kPhoto, kSynthetic, kMixed };
const char* ContentKindName(ContentKind kind);  // "photo" | "synthetic" | "mixed"

struct ContentResult {
  // Share of the pixels whose 3×3 neighbourhood holds one exact colour
  // (every channel equal), %. A photo's grain leaves almost none outside
  // clipped highlights; UI panels, chart backgrounds and fills are such areas.
  // In a picture with transparency every share here is of the part that
  // shows (visible_part.h): hidden pixels, and the cut-out's outline as an
  // edge, are left out.
  std::optional<double> flat_pct;
  // Share of the picture (of the pixels that show, as flat_pct; at most
  // flat_pct) in a photo's clipped highlights and shadows, %
  // (clipped_plateaus.h: flat plateaus at white, black or a colour clipped
  // in every channel whose rims ramp on towards it). They are no drawn fill:
  // the shares below, the kind, the overlays and the map read the flat
  // pixels without them. 0 when there are none; empty when flat_pct is, and
  // in lossy-coded pixels (ContentOptions::lossless unset or coding_block_px
  // set), where the coding's ringing beside a drawn edge ramps as a clipped
  // rim does.
  std::optional<double> clipped_pct;
  // Distinct 8-bit colours in the image (gray: distinct levels; shown pixels only).
  std::optional<int> colors;
  // Share of the strong edges (a luma step of at least 32 levels between two
  // neighbours) with an exactly flat pixel (not clipped) within 3 px (plus the coding
  // block, ContentOptions::coding_block_px), %: a drawn edge (a glyph, a
  // panel's border) leaves a flat colour in a pixel or two; a photographed
  // one, or a clipped highlight's rim, ramps through its blur and grain.
  // Empty when there is no strong edge.
  std::optional<double> hard_edge_pct;
  // Share of the picture in 32-px blocks with under 5 % of exactly flat
  // pixels (not clipped) and under 15 % of their pixels on strong edges, %: the area that
  // looks photographed (a photo pasted into a page). A block of dense text
  // in a JPEG keeps no flat pixel (its blocks ring) but is all edges. In
  // lossy-coded pixels that the plain shares do not call a photo (the
  // `kind` below), the flat pixels counted are those of drawn fills
  // (drawn_fills.h: not the areas that step as a gradation or run on into
  // the texture around them, which the coding made of a photo's smooth or
  // faint parts by coding their blocks by their means), and the block must
  // hold a coding block of texture (coded_blocks.h): a drawn gradient's
  // blocks are flat or planes. A gray brick wall at JPEG q40 kept a third of
  // its pixels flat and read 1.6 % photographed before, 43 % now.
  std::optional<double> photo_pct;
  // photo: flat_pct − clipped_pct below 5 %, or hard_edge_pct below 20 %
  // (flat areas with soft rims: in a JPEG, clipped highlights, which
  // clipped_pct does not read there); synthetic: flat_pct − clipped_pct of
  // at least 30 %,
  // hard_edge_pct of at least 60 % (or no strong edge) and photo_pct under
  // 10 %; mixed: in between. In lossy-coded pixels (coding_block_px) the
  // synthetic limits (not the photo ones) are judged where the coding could
  // leave a flat pixel, and on flat areas that run across its blocks (a
  // drawn fill; a photo's smooth area coded by each block's mean alone is a
  // mosaic of flat blocks that differ): their share of the pixels outside
  // the coding blocks a strong edge crosses (those ring whatever was drawn),
  // and the hard share of the strong edges with such a pixel in reach —
  // dense text in a JPEG leaves its background flat only between the lines
  // (a 400×300 window with 11-px text at q75 kept 29 % of its pixels flat).
  // photo_pct reads a block's flat share so too. The photo limits are also
  // judged on the coded shares of the fills alone (drawn_fills.h: a JPEG
  // codes a photo's smooth areas as flat patches a level or a block mean's
  // step apart, and at a low quality its faint texture as flat blocks among
  // textured ones at their level, which the plain shares read as fills with
  // hard edges) when photo_pct is at least 10 (on a picture with nothing
  // photographed, a gradation was drawn: a slide's gradient), their hard share only where
  // they cover under 30 % (a product padded on white stays mixed). flat_pct and hard_edge_pct
  // above stay the plain shares. Analyze reads a dithered picture's
  // synthetic as mixed (analyze.h DitheredTonesAreNotDrawn).
  std::optional<ContentKind> kind;
  // Share of the picture under drawn overlays, %: text, logos, date stamps
  // and borders drawn in flat colours on a photo — the kOverlayBlockPx
  // blocks where at least kOverlayMinHardPx strong-edge pixels, and most of
  // the block's, have an exactly flat pixel within 3 px (a glyph's or a
  // logo's fill), not beside a flat canvas (a product's background, a page:
  // kCanvasMinPct of the picture); with the blocks with strong edges joined
  // to them (the rest of a line of text, its thin strokes keep no flat
  // pixel) and one block around all. Text drawn only in strokes a pixel
  // wide has no flat pixel at all and is not found. The blur,
  // motion-blur and over-sharpening readings read the picture with them
  // filled smoothly (WithoutOverlays): on a soft photo a watermark's
  // pixel-sharp glyphs read as sharp detail, their lines as a smear. In
  // lossy-coded pixels (ContentOptions::lossless unset or coding_block_px
  // set: a JPEG keeps a glyph's flat fill only where it clips, and codes a
  // smooth area's blocks by their mean alone, flat beside a photo's own
  // edges) they are found by their crisp strokes on a soft photo instead
  // (overlay_strokes.h): on a photo sharp throughout they are not looked
  // for there (0), nor needed (its readings are the text's anyway). 0 when
  // none, or when they would cover over kMaxOverlayPct (then the drawing is
  // the picture's, not something on it); empty (not measured) on synthetic
  // content (drawn throughout), when ContentOptions::find_overlays is
  // unset, under 8×8 px and when nothing shows. Overlays drawn opaque
  // mostly: a semi-transparent one is found only where it clips to white or
  // black.
  std::optional<double> overlay_pct;
  // Where: CV_8U, one cell per kOverlayBlockPx × kOverlayBlockPx block from
  // the top left (255: overlay); empty when overlay_pct is 0 or empty. Not
  // in the JSON.
  cv::Mat overlay_blocks;
  // How transparent the picture is (image_ops.h TransparentPct), %; empty
  // without an alpha channel. A cut-out keeps it only in a format with alpha.
  std::optional<double> transparent_pct;
};

// A luma step this large between neighbours, 8-bit levels, is a strong edge
// (ContentResult::hard_edge_pct; the strokes of overlay_strokes.h).
inline constexpr int kStrongStep8bit = 32;

// CV_8U: 255 on both pixels of every strong luma step (kStrongStep8bit,
// horizontal or vertical) of 8-bit gray or BGR pixels (To8Bit, image_ops.h).
cv::Mat StrongStepMask(const cv::Mat& px8);
inline constexpr int kOverlayBlockPx = 16;
inline constexpr int kOverlayMinHardPx = 8;
inline constexpr double kCanvasMinPct = 5.0;
inline constexpr double kMaxOverlayPct = 25.0;

struct ContentOptions {
  // The side of the lossy coding's transform block, px: 8 for a JPEG (its
  // info.jpeg), 0 for lossless pixels. A JPEG rings over every 8×8 block an
  // edge crosses and keeps the blocks beside it exactly flat: a drawn edge's
  // flat colour lies up to one block farther. (Not 16 for subsampled chroma:
  // the clipped rims of JPEG photos would then reach a flat pixel too.)
  int coding_block_px = 0;
  // Where the coding blocks start in the upright pixels, px (0 to
  // coding_block_px − 1 each): (0, 0) as stored; an EXIF turn or mirror of
  // a picture whose stored size is not a multiple of the block moves the
  // grid (CodingGridOrigin, analyze.h).
  cv::Point coding_grid_origin_px{0, 0};
  // Whether to look for drawn overlays (ContentResult::overlay_pct).
  bool find_overlays = true;
  // Whether the pixels were stored without loss (analyze.h LosslessPixels
  // decides from the file). Overlays are found by their flat fills there;
  // in pixels decoded from a lossy coding (a JPEG, lossy WebP, HEIF, AVIF)
  // or demosaiced from a RAW, whose smooth areas come out flat beside a
  // photo's own edges, by their crisp strokes on a soft photo instead
  // (overlay_strokes.h). So too when coding_block_px is set.
  bool lossless = true;
  // The map: CV_32FC1, one cell per map_block_px × map_block_px block, the
  // share (0–1) of the block's pixels that are exactly flat (clipped
  // highlights left out: the flat pixels the kind reads).
  bool compute_map = false;
  int map_block_px = 16;
};

using ContentMeasurement = Measured<ContentResult>;

// `pixels`: 8- or 16-bit, gray, BGR or BGRA. Empty fields when the image is
// smaller than 8×8 px.
ContentMeasurement MeasureContent(const cv::Mat& pixels, const ContentOptions& options = {});

// CV_8U, 255 where the pixel's 3×3 neighbourhood (replicated at the border)
// holds one exact value in every channel of `pixels` (any depth, 1–4
// channels; compared at the pixels' own depth).
cv::Mat ExactlyFlatMask(const cv::Mat& pixels);

// `pixels` with the drawn overlays `content` found on them (overlay_blocks)
// filled smoothly (visible_part.h FillSmoothlyWhere): the photo the blur,
// motion-blur and over-sharpening readings read. `pixels` itself when there
// are none or the content is synthetic.
cv::Mat WithoutOverlays(const cv::Mat& pixels, const ContentResult& content);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_CONTENT_KIND_H_
