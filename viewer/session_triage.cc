// Session: triage of a batch's results — the table's state, opening an item,
// and the thumbnails decoded off the UI thread.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "analysis/io/color_space.h"
#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/image_ops.h"
#include "viewer/session.h"

namespace acuity::viewer {
namespace {

constexpr int kThumbnailsInFlight = 4;    // decodes at once: the rows in view first
constexpr size_t kThumbnailsKept = 1500;  // about 18 MB of 64 px thumbnails
// Larger files (not JPEG, whose decoder reduces them) get no thumbnail: four
// decodes of this size at once stay well within a desktop's memory.
constexpr double kThumbnailMaxMegapixels = 50;

// The QA map that shows where an item's first failed check comes from
// (docs/qa.md's map names), else where the output's colours depart from
// the input's (ΔE00, which QA always maps).
std::string QaOverlayFor(const batch::CatalogueItem& item) {
  constexpr std::pair<const char*, const char*> kMaps[] = {{"halo", "qa_halo"},
                                                           {"delta_e", "qa_delta_e"},
                                                           {"colour", "qa_delta_e"},
                                                           {"fake_texture", "qa_fake_texture"},
                                                           {"painted", "qa_painted"},
                                                           {"detail_", "qa_detail_loss"}};
  for (const std::string& check : item.failed_checks)
    for (const auto& [stem, map] : kMaps)
      if (check.find(stem) != std::string::npos) return map;
  return "qa_delta_e";
}

// A small picture of the file (long edge ≤ kThumbnailPx); null when it
// cannot be read. JPEGs are decoded at 1/2–1/8 size by libjpeg itself.
std::shared_ptr<const DisplayImage> MakeThumbnail(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  cv::Mat picture;
  if (ext == ".jpg" || ext == ".jpeg") {
    if (absl::StatusOr<std::string> bytes = ReadFileBytes(path); bytes.ok())
      if (absl::StatusOr<JpegDecoded> jpeg = DecodeJpeg(*bytes, kThumbnailPx); jpeg.ok()) {
        // In sRGB, as the opened image shows (a CMYK profile's pixels already are: not converted).
        absl::StatusOr<cv::Mat> srgb = jpeg->icc_profile.empty() ? absl::StatusOr<cv::Mat>(jpeg->pixels)
                                                                 : ConvertToSrgb(jpeg->pixels, jpeg->icc_profile);
        picture = ApplyExifOrientation(srgb.ok() ? *srgb : jpeg->pixels, ExifOrientation(*bytes));
      }
  }
  if (picture.empty()) {
    LoadOptions load;
    load.max_megapixels = kThumbnailMaxMegapixels;
    absl::StatusOr<Image> image = LoadImage(path, load);
    if (!image.ok()) return nullptr;
    picture = To8Bit(PixelsInSrgb(image->pixels, image->info));
  }
  if (picture.empty()) return nullptr;
  if (picture.channels() == 1) cv::cvtColor(picture, picture, cv::COLOR_GRAY2BGR);
  const double scale = std::min(1.0, double(kThumbnailPx) / std::max(picture.cols, picture.rows));
  cv::Mat small;
  cv::resize(
      picture, small,
      cv::Size(std::max(1, int(picture.cols * scale)), std::max(1, int(picture.rows * scale))), 0,
      0, cv::INTER_AREA);
  auto display = std::make_shared<DisplayImage>();
  display->full = small;
  display->reduced = small;
  return display;
}

}  // namespace

absl::Status Session::OpenBatch(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Triage>> triage = Triage::Open(dir);
  if (!triage.ok()) return triage.status();
  triage_ = *std::move(triage);
  triage_shown_ = true;
  opened_item_.reset();
  ForgetThumbnails();
  const Triage& t = *triage_;
  Say(fmt::format("{}: {} inputs, {} listed; {} accepted, {} rejected so far", dir,
                  t.items().size(), t.rows().size(), t.accepted(), t.rejected()));
  if (!t.note().empty()) Say(t.note());
  return absl::OkStatus();
}

absl::Status Session::NeedsBatch(std::string_view what) const {
  if (triage_) return absl::OkStatus();
  return absl::FailedPreconditionError(fmt::format("{}: no batch open (open DIR, DIR a batch's --out)", what));
}

absl::Status Session::ShowTriage(bool shown) {
  if (absl::Status st = NeedsBatch("table"); !st.ok()) return st;
  triage_shown_ = shown;
  return absl::OkStatus();
}

absl::Status Session::OpenSelected() {
  if (absl::Status st = NeedsBatch("open-item"); !st.ok()) return st;
  const std::optional<int> selected = triage_->selected_item();
  if (!selected)
    return absl::FailedPreconditionError(
        fmt::format("nothing listed (filter {})", triage_->filter()));
  const batch::CatalogueItem& item = triage_->items()[*selected];
  if (item.source_path.empty())
    return absl::FailedPreconditionError(
        fmt::format("{}: its record names no file to open ({})", item.path,
                    item.error.empty() ? "no analysis" : item.error));
  std::error_code ec;
  const bool has_output = !item.output.empty() && std::filesystem::is_regular_file(item.output, ec);
  if (absl::Status s = Open(item.source_path, has_output ? item.output : ""); !s.ok()) return s;
  opened_item_ = *selected;
  if (target_text_ != triage_->target()) {
    if (absl::Status s = SetTarget(triage_->target()); !s.ok()) Say(std::string(s.message()));
  }
  if (has_output) {
    if (absl::Status s = SetOverlay(QaOverlayFor(item), std::nullopt); !s.ok())
      Say(std::string(s.message()));
  }
  return absl::OkStatus();
}

std::shared_ptr<const DisplayImage> Session::Thumbnail(const std::string& path) {
  ThumbnailEntry& entry = thumbnails_[path];
  entry.last_used = ++thumbnail_clock_;
  if (entry.image || entry.pending || entry.unreadable || path.empty()) return entry.image;
  if (thumbnails_in_flight_ >= kThumbnailsInFlight) return nullptr;  // asked again next frame
  entry.pending = true;
  ++thumbnails_in_flight_;
  jobs_.Start("thumbnail", [this, path, generation = thumbnail_generation_]() -> JobRunner::Finish {
    // A failure (a file that breaks the decoder, memory) is an unreadable
    // thumbnail: caught here, so that the closure below always runs and
    // the count of decodes in flight stays right.
    std::shared_ptr<const DisplayImage> picture;
    try {
      picture = MakeThumbnail(path);
    } catch (...) {
      picture = nullptr;
    }
    return [this, path, generation, picture] {
      --thumbnails_in_flight_;
      if (generation != thumbnail_generation_) return;
      const auto at = thumbnails_.find(path);
      if (at == thumbnails_.end()) return;
      at->second.pending = false;
      at->second.image = picture;
      at->second.unreadable = picture == nullptr;
      if (thumbnails_.size() > kThumbnailsKept) {
        // The least recently asked for go (their textures with them).
        std::vector<std::pair<uint64_t, std::string>> by_age;
        for (const auto& [p, e] : thumbnails_)
          if (!e.pending) by_age.emplace_back(e.last_used, p);
        std::sort(by_age.begin(), by_age.end());
        for (size_t i = 0; i + kThumbnailsKept < thumbnails_.size() && i < by_age.size(); ++i)
          thumbnails_.erase(by_age[i].second);
      }
    };
  });
  return nullptr;
}

void Session::ForgetThumbnails() {
  thumbnails_.clear();
  ++thumbnail_generation_;
}

}  // namespace acuity::viewer
