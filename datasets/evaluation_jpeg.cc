// The accuracy report's section on JPEGs written with camera-like tables
// (the "jpeg_tables" ladder, datasets/jpeg_tables.h): the equivalent quality
// from the tables against ImageMagick's %Q, and from the pixels of their PNG
// re-saves, by table shape and on held-out photos.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "datasets/evaluation_table.h"
#include "datasets/jpeg_tables.h"
#include "datasets/stats.h"

namespace acuity::datasets {
namespace {

// Equivalent qualities up to this are the detection target's (higher ones
// leave steps of 1–3 that sit below the decoding noise).
constexpr double kDetectUpToQuality = 80;

bool TablesLadder(const Observation& o) { return Ladder(o) == "jpeg_tables"; }
bool HeldOut(const Observation& o) {
  const std::vector<std::string> held_out = HeldOutJpegPhotos();
  return std::find(held_out.begin(), held_out.end(), o.label.photo) != held_out.end();
}

std::optional<double> Truth(const Observation& o) { return double(o.label.recipe.jpeg_quality); }
std::optional<double> Ours(const Observation& o) { return o.ours.jpeg_quality; }
std::optional<double> ImageMagick(const Observation& o) {
  if (!o.peer.imagemagick_quality) return std::nullopt;
  return double(*o.peer.imagemagick_quality);
}

struct ClassFigures {
  std::string name;
  double tables_mae = NAN, imagemagick_mae = NAN, detected_pct = NAN, pixels_mae = NAN;
};

// From the tables (.jpg) and from the pixels (PNG re-saves) of the files `f` selects.
ClassFigures Figures(const std::vector<Observation>& obs, const std::string& name, const Filter& f) {
  ClassFigures c{name};
  const Filter jpg = [&](const Observation& o) { return f(o) && !o.label.recipe.png_resave; };
  const Pairs t = Collect(obs, jpg, Ours, Truth), im = Collect(obs, jpg, ImageMagick, Truth);
  c.tables_mae = t.est.empty() ? NAN : MeanAbsoluteError(t.est, t.truth);
  c.imagemagick_mae = im.est.empty() ? NAN : MeanAbsoluteError(im.est, im.truth);
  const Filter low = [&](const Observation& o) {
    return f(o) && o.label.recipe.png_resave && o.label.recipe.jpeg_quality <= kDetectUpToQuality;
  };
  const Pairs px = Collect(obs, low, Ours, Truth);
  if (px.total() > 0) c.detected_pct = 100.0 * px.est.size() / px.total();
  if (!px.est.empty()) c.pixels_mae = MeanAbsoluteError(px.est, px.truth);
  return c;
}

std::string ClassTable(const std::vector<ClassFigures>& classes) {
  std::string s =
      "| files | from tables: MAE acuity | ImageMagick `%Q` MAE | from pixels, q ≤ 80: detected | MAE |\n"
      "|---|---|---|---|---|\n";
  for (const ClassFigures& c : classes) {
    s += fmt::format("| {} | {} | {} | {} % | {} |\n", c.name, Num(c.tables_mae, 2), Num(c.imagemagick_mae, 1),
                     Num(c.detected_pct, 1), Num(c.pixels_mae, 2));
  }
  return s;
}

}  // namespace

std::string JpegTablesSection(const std::vector<Observation>& obs) {
  std::vector<Row> rows;
  const Filter jpg = [](const Observation& o) { return TablesLadder(o) && !o.label.recipe.png_resave; };
  const Pairs t = Collect(obs, jpg, Ours, Truth), im = Collect(obs, jpg, ImageMagick, Truth);
  const double t_mae = MeanAbsoluteError(t.est, t.truth), im_mae = MeanAbsoluteError(im.est, im.truth);
  std::string t_status = Status(t_mae, t, Goal::kAtMost, 5.0);
  if (t_status == "**met**" && !(t_mae < im_mae)) t_status = "missed (not below ImageMagick)";
  rows.push_back({fmt::format("from tables: MAE of the equivalent quality, .jpg (n={})", t.total()),
                  "≤ 5 and < ImageMagick", Cell(t_mae, t, 2), fmt::format("`%Q` MAE {}", Num(im_mae, 1)),
                  t_status});
  const Pairs other = Collect(obs, jpg, [](const Observation& o) -> std::optional<double> {
    return o.ours.quality_source == "quant_tables" && o.ours.jpeg_tables == "other";
  }, [](const Observation&) { return std::optional<double>(1.0); });
  rows.push_back({"`quality_source` \"quant_tables\" + `tables` \"other\" on them", "100 %", Percent(other), "",
                  "info"});

  const Filter low = [](const Observation& o) {
    return TablesLadder(o) && o.label.recipe.png_resave && o.label.recipe.jpeg_quality <= kDetectUpToQuality;
  };
  const Pairs px = Collect(obs, low, Ours, Truth);
  const double detected = px.total() ? 100.0 * px.est.size() / px.total() : NAN;
  Pairs rate;  // the detection rate as one figure, nulls being what it counts
  if (px.total()) rate.est = {detected};
  rows.push_back({fmt::format("from pixels: detected on PNG re-saves, equivalent q ≤ 80 (n={})", px.total()), "≥ 95 %",
                  rate.est.empty() ? "no files" : Num(detected, 1) + " %", "— (ImageMagick reads nothing from a PNG)",
                  Status(detected, rate, Goal::kAtLeast, 95.0)});
  Pairs scored = px;
  scored.missing = 0;  // MAE over the detected files
  const double px_mae = MeanAbsoluteError(px.est, px.truth);
  rows.push_back({fmt::format("from pixels: MAE of the detected, q ≤ 80 (n={})", px.est.size()), "≤ 8",
                  Cell(px_mae, scored, 2), "—", Status(px_mae, scored, Goal::kAtMost, 8.0)});
  const Pairs high = Collect(obs, [](const Observation& o) {
    return TablesLadder(o) && o.label.recipe.png_resave && o.label.recipe.jpeg_quality > kDetectUpToQuality;
  }, Ours, Truth);
  rows.push_back({fmt::format("from pixels: q 90–95, MAE of the detected (n={})", high.total()), "",
                  Cell(MeanAbsoluteError(high.est, high.truth), high, 2), "—", "info"});

  std::vector<ClassFigures> classes;
  for (TableShape shape : kTableShapes) {
    const std::string name = TableShapeName(shape);
    classes.push_back(Figures(obs, name, [name](const Observation& o) {
      return TablesLadder(o) && !HeldOut(o) && o.label.recipe.jpeg_tables == name;
    }));
  }
  classes.push_back(Figures(obs, "held-out photos, every shape",
                            [](const Observation& o) { return TablesLadder(o) && HeldOut(o); }));
  const auto worst = [&](auto better) {
    return *std::min_element(classes.begin(), classes.end(), better);
  };
  const ClassFigures worst_tables =
      worst([](const ClassFigures& a, const ClassFigures& b) { return a.tables_mae > b.tables_mae; });
  const ClassFigures worst_detect =
      worst([](const ClassFigures& a, const ClassFigures& b) { return a.detected_pct < b.detected_pct; });
  const ClassFigures worst_pixels =
      worst([](const ClassFigures& a, const ClassFigures& b) { return a.pixels_mae > b.pixels_mae; });
  rows.push_back({"worst class: from tables MAE", "", fmt::format("{} ({})", Num(worst_tables.tables_mae, 2),
                  worst_tables.name), "", "info"});
  rows.push_back({"worst class: from pixels detected, q ≤ 80", "",
                  fmt::format("{} % ({})", Num(worst_detect.detected_pct, 1), worst_detect.name), "", "info"});
  rows.push_back({"worst class: from pixels MAE, q ≤ 80", "",
                  fmt::format("{} ({})", Num(worst_pixels.pixels_mae, 2), worst_pixels.name), "", "info"});

  return "## JPEG with camera-like tables — equivalent quality\n\n"
         "JPEGs written with tables no IJG quality writes (datasets/jpeg_tables.h: Annex K with a frequency tilt, "
         "flat, IJG-shaped with +2/+3 on every 7th entry, chroma quantized like luma), scaled to equivalent IJG "
         "qualities 10, 20, …, 90, 95, as .jpg and re-saved as PNG. The truth is the equivalent quality they were "
         "scaled to: the IJG quality whose tables have the same weighted mean log quantization step (luma 2/3, "
         "chroma 1/3; analysis/measurements/equivalent_quality.h). Calibrated on the standard photos; the "
         "held-out photos (" +
         [] {
           std::string s;
           for (const std::string& p : HeldOutJpegPhotos()) s += (s.empty() ? "" : ", ") + p;
           return s;
         }() +
         ") were not used to set any threshold.\n\n" + Table(rows) +
         "\n<details><summary>By table shape (standard photos) and on held-out photos</summary>\n\n" +
         ClassTable(classes) + "\n</details>\n\n";
}

}  // namespace acuity::datasets
