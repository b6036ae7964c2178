// Session: the enhancement (run, progress, cancel), saving and polling.
#include <filesystem>

#include <fmt/format.h>

#include "analysis/io/color_space.h"
#include "analysis/io/image_writer.h"
#include "viewer/session.h"

namespace acuity::viewer {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The progress callback of one run: records the step and fraction, notices
// step changes, wakes the UI now and then, and says whether to go on.
EnhanceProgress MakeProgress(std::shared_ptr<EnhanceProgressState> state, const JobRunner* jobs) {
  auto last_wake = std::make_shared<std::chrono::steady_clock::time_point>();
  return [state, jobs, last_wake](double fraction, const std::string& step) {
    state->fraction = fraction;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      if (step != state->step && step != "done") {
        if (!state->step.empty()) ++state->step_index;
        state->step = step;
        state->step_started = std::chrono::steady_clock::now();
      }
    }
    if (SecondsSince(*last_wake) > 0.1) {
      *last_wake = std::chrono::steady_clock::now();
      jobs->Wake();
    }
    return !state->cancel.load();
  };
}

}  // namespace

absl::Status Session::SetDevice(const std::string& device) {
  absl::StatusOr<DeviceRequest> request = ParseDeviceRequest(device);
  if (!request.ok()) return request.status();
  const bool changed = request->Text() != device_.Text();
  device_ = *request;
  Say("device: " + device_.Text() + " for the next enhancement");
  // The advised plans are priced for the device (AnalyzeForView): advised
  // again for this one, as a new target does.
  if (changed) {
    StartAnalysis(0);
    StartAnalysis(1);
  }
  return absl::OkStatus();
}

absl::Status Session::Enhance(const std::string& steps_or_auto) {
  if (!a_.image) return absl::FailedPreconditionError("enhance: open an image first (and wait for it to load)");
  if (enhance_running_) return absl::FailedPreconditionError("enhance: one is running already (cancel it first)");
  // The advised plan of the analysis under way (a new target or device
  // analyses again), not the one it replaces.
  if (steps_or_auto == "auto" && (!a_.analysis || a_.analyzing))
    return absl::FailedPreconditionError("enhance auto: A is still being analysed (wait)");
  absl::StatusOr<PreparedPlan> prepared = PreparePlanForView(steps_or_auto, *a_.image, target_, a_.analysis.get());
  if (!prepared.ok()) return prepared.status();
  for (const std::string& note : prepared->notes) Say("enhance: " + note);
  const Plan* plan = &prepared->plan;
  enhance_ = std::make_shared<EnhanceProgressState>();
  enhance_->started = enhance_->step_started = std::chrono::steady_clock::now();
  enhance_running_ = true;
  enhance_steps_ = int(plan->steps.size());
  enhance_outcome_.clear();
  Say(fmt::format("enhance: {} step(s) on {}", enhance_steps_, a_.label));
  const int generation = a_.generation;
  jobs_.Start("enhance", [this, generation, image = a_.image, plan = *plan, device = device_,
                          progress = MakeProgress(enhance_, &jobs_)]() -> JobRunner::Finish {
    absl::StatusOr<EnhanceResult> result =
        RunForView(*image, plan, progress, [state = enhance_](double f) { state->step_fraction = f; }, device);
    std::shared_ptr<const DisplayImage> display;
    ToneHistogram histogram;
    if (result.ok()) {
      display = MakeDisplayImage(PixelsInSrgb(result->pixels, ResultInfo(image->info, result->pixels, result->encoding)));
      histogram = MakeHistogram(display->reduced);
    }
    return [this, generation, image, result = std::move(result), display, histogram]() mutable {
      enhance_running_ = false;
      const double percent = enhance_->fraction * 100;
      if (!result.ok()) {
        const bool cancelled = result.status().code() == absl::StatusCode::kCancelled;
        enhance_outcome_ = cancelled ? fmt::format("cancelled at {:.0f} %", percent)
                                     : fmt::format("failed: {}", std::string(result.status().message()));
        if (!cancelled) job_errors_.push_back("enhance " + enhance_outcome_);
        Say("enhance: " + enhance_outcome_ + "; nothing kept");
        return;
      }
      enhance_outcome_ = fmt::format("done in {:.1f} s", SecondsSince(enhance_->started));
      enhance_log_ = result->log;
      Say("enhance: " + enhance_outcome_);
      for (const std::string& line : enhance_log_) Say("  " + line);
      if (a_.generation != generation) return;  // another image was opened meanwhile
      result_ = result->pixels;
      result_encoding_ = result->encoding;
      result_source_ = image;
      Image out{result->pixels, ResultInfo(image->info, result->pixels, result->encoding)};
      b_ = NewDocument("", "enhanced (not saved)", next_generation_++);
      if (view_.mode == CompareMode::kA) view_.mode = CompareMode::kSplit;
      view_.fit = true;
      Adopt(1, std::make_shared<const Image>(std::move(out)), display, histogram);
    };
  });
  return absl::OkStatus();
}

absl::Status Session::Cancel() {
  if (!enhance_running_) {
    Say("cancel: nothing is running");
    return absl::OkStatus();
  }
  enhance_->cancel = true;
  Say(fmt::format("cancel: stopping the enhancement at {:.0f} %", enhance_->fraction * 100));
  return absl::OkStatus();
}

absl::Status Session::Save(const std::string& path) {
  if (result_.empty() || !result_source_)
    return absl::FailedPreconditionError("save: nothing to save (run enhance first)");
  if (absl::Status s = CheckOutputPath(path, result_source_->info.path); !s.ok()) return s;
  jobs_.Start("save " + path, [this, path, pixels = result_, source = result_source_, encoding = result_encoding_,
                               target = target_, generation = b_.generation] {
    absl::StatusOr<std::string> summary = SaveForView(path, pixels, source->info, encoding, target);
    return [this, path, generation, summary = std::move(summary)] {
      if (!summary.ok()) {
        job_errors_.push_back(fmt::format("save {}: {}", path, std::string(summary.status().message())));
        Say(job_errors_.back());
        return;
      }
      Say(*summary);
      // B is now a file: measured again from it (its own encoding and JPEG tables).
      if (b_.generation == generation) {  // B still shows the result saved
        b_.path = path;  // the pixels stay on screen until the file's replace them
        b_.label = std::filesystem::path(path).filename().string();
        b_.generation = next_generation_++;
        LoadInto(1, path);
      }
    };
  });
  return absl::OkStatus();
}

EnhanceStatus Session::enhance_status() const {
  EnhanceStatus s;
  s.running = enhance_running_;
  s.step_count = enhance_steps_;
  s.last_outcome = enhance_outcome_;
  s.log = enhance_log_;
  if (!enhance_) return s;
  s.fraction = enhance_->fraction;
  s.step_fraction = enhance_->step_fraction;
  {
    std::lock_guard<std::mutex> lock(enhance_->mutex);
    s.step = enhance_->step;
    s.step_index = enhance_->step_index;
    s.step_elapsed_s = SecondsSince(enhance_->step_started);
  }
  s.elapsed_s = SecondsSince(enhance_->started);
  if (s.running && s.fraction > 0.02) s.seconds_left = s.elapsed_s * (1 - s.fraction) / s.fraction;
  return s;
}

void Session::Poll() { jobs_.Poll(); }

}  // namespace acuity::viewer
