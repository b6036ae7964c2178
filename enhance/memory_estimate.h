// Peak memory estimates, in bytes, of the work acuity does on one image:
// analysing it, and running a (prepared) plan's steps on it. `acuity batch`
// uses them to choose how many files run at once (the sum of the estimates
// of the files in flight stays under the memory budget); `acuity enhance
// --max-memory MB` refuses up front a plan whose estimate is over the budget.
//
//   acuity::ImageGeometry g{.width_px = 4000, .height_px = 3000};
//   int64_t analyze = acuity::EstimatePeakMemoryBytes(g, /*find_content=*/false);
//   int64_t plan = acuity::EstimatePeakMemoryBytes(g, prepared.plan, options.upscale);
//   if (acuity::kProcessBaseMemoryBytes + plan > budget) Refuse();
//
// The estimates are the working set of one image, without the process's own
// resident memory (code, LibTorch: kProcessBaseMemoryBytes), so that a batch
// pays it once. They are calibrated to lie a little above measured peaks
// (max RSS of `/usr/bin/time -v acuity ...` less the program's own), never
// below; the test (memory_estimate_test.cc) holds every figure below.
// Measured with datasets/measure_memory.sh (RelWithDebInfo, 2 cores so 2
// tile workers, a resize of astronaut as PNG), max RSS in MB. The analysis
// rows (2026-11, acuity 0.1.0: the program itself is 24 MB until LibTorch
// or the content detectors are loaded) are estimated on top of 24 MB; the
// upscale rows (measured when LibTorch was linked in) on top of
// kProcessBaseMemoryBytes:
//
//   command                                                size px     RSS   estimate
//   analyze                                                64×48        24     24 (the base)
//   analyze                                                1024×768     97    118
//   analyze                                                2048×1536   136    177
//   analyze                                                4096×3072   242    321
//   analyze                                                6000×4000   457    495
//   analyze                                                8000×6000   605    861
//   advise (faces and text too)                            1024×768    238    254
//   advise                                                 2048×1536   248    319
//   advise                                                 4096×3072   415    490
//   advise                                                 6000×4000   498    697
//   advise                                                 8000×6000   777   1132
//   qa INPUT OUTPUT (content check, no maps), input → output:
//   qa                                                     1155×866 → same        213    247
//   qa                                                     2309×1732 → same       444    516
//   qa                                                     4000×3000 → same      1111   1233
//   qa                                                     1000×750 → 4000×3000   488    557
//   qa                                                     2000×1500 → 4000×3000  495    693
//   qa                                                     2828×2121 → 4000×3000  611    873
//   qa                                                     3600×2700 → 4000×3000  974   1096
// (QA was estimated as an analysis of the output plus the input: 514 MB for
// the same-size 12 MP check, which a 900 MB cgroup killed.)
// (A 48 MP analysis estimated at 208 MB before was killed by a Slurm job's
// 300 MB cgroup limit: the old per-px figure held below 12 MP only because
// the base was counted twice.)
//   enhance --steps upscale:2 --model esrgan-slim          256×192     221   316
//   enhance --steps upscale:4 --model esrgan-slim          512×384     282   326
//   enhance --steps upscale:2 --model esrgan-slim          1024×768    285   329
//   enhance --steps upscale:4 --model esrgan-medium        128×96      242   421
//   enhance --steps upscale:4 --model esrgan-medium        384×288     385   651
//   enhance --steps upscale:4 --model esrgan-thick         128×96      286   318
//   enhance --steps upscale:4 --model esrgan-thick         384×288     481   581
//   enhance --steps upscale:4 --model realesr-general-x4v3 128×96      202   214
//   enhance --steps upscale:4 --model realesr-general-x4v3 384×288     265   301
//   enhance --steps upscale:4 --model realesrgan-x4plus    64×48       444   500
//   enhance --steps upscale:4 --model realesrgan-x4plus    256×192    1240  1321
//
// The analysis samples at most 1 MP for its costly measurements, and holds
// full-resolution planes (the pixels, float luma and its work planes, about
// 16 bytes per px at its peak); looking for faces and text loads their
// detectors' data (about 140 MB) and works on a few bytes per px more. An upscale costs its model (loaded per pass) plus,
// per tile worker, one padded tile's feature maps; medium is counted at
// its measured ×4 of a 12 MP photo (models/RESULTS.md, "Memory": 504 MB
// beyond input and output), above the small-image figures.
#ifndef ACUITY_ENHANCE_MEMORY_ESTIMATE_H_
#define ACUITY_ENHANCE_MEMORY_ESTIMATE_H_

#include <cstdint>

#include "analysis/advice/plan.h"
#include "enhance/upscaler.h"

namespace acuity {

// The size and pixel layout of an image as it will be loaded.
struct ImageGeometry {
  int width_px = 0;
  int height_px = 0;
  int channels = 3;           // 1, 3 or 4
  int bytes_per_channel = 1;  // 1 (8-bit) or 2 (16-bit)
};

// Resident memory of the acuity program before it touches an image
// (measured: `acuity analyze` of a 64×64 px file), bytes.
inline constexpr int64_t kProcessBaseMemoryBytes = int64_t{165} << 20;

// Analysing the image (acuity analyze / advise, and the analysis `enhance
// --plan auto` runs first): the loaded pixels and every measurement's work
// buffers, bytes. `find_content`: faces and text are looked for too
// (advise, `enhance --plan auto`, `analyze --content`, QA's content check).
int64_t EstimatePeakMemoryBytes(const ImageGeometry& image, bool find_content);

// Running `plan`'s steps (factors known: a prepared plan) on the image and
// writing the result: the largest, over the steps, of the images alive at
// once plus the step's own work (an upscale's model tiles, `defaults.threads`
// of them at a time; 0 = all cores), bytes. Upscale steps without a model
// use defaults.model, else the model acuity would pick; a user's FILE.pt is
// counted as the heaviest built-in model.
int64_t EstimatePeakMemoryBytes(const ImageGeometry& image, const Plan& plan, const UpscaleOptions& defaults);

// Checking a result of `output` against its `input` (RunQa, its content
// check included, without maps), bytes: both images, and work that grows
// with the output's pixels and with those of the smaller of the two, the
// size they are compared at.
int64_t EstimateQaPeakMemoryBytes(const ImageGeometry& input, const ImageGeometry& output);

// The geometry after `plan`'s steps (upscale, downscale change the size).
ImageGeometry GeometryAfter(const ImageGeometry& image, const Plan& plan);

// Memory available for new work, bytes: the smallest of MemAvailable and
// what is left under the process's limits (ulimit -v/-d, its cgroup's
// memory limit): ReadMemoryBudget (memory_budget.h). 0 when none can be read.
int64_t AvailableMemoryBytes();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_MEMORY_ESTIMATE_H_
