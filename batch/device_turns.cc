#include "batch/device_turns.h"

#include <algorithm>

namespace acuity::batch {

DeviceTurns::DeviceTurns(int devices) : in_flight_(devices >= 2 ? devices : 0, 0) {}

int DeviceTurns::Take() {
  std::lock_guard<std::mutex> lock(mu_);
  if (in_flight_.empty()) return -1;
  const auto least = std::min_element(in_flight_.begin(), in_flight_.end());
  ++*least;
  return static_cast<int>(least - in_flight_.begin());
}

void DeviceTurns::Give(int device) {
  std::lock_guard<std::mutex> lock(mu_);
  if (device >= 0 && device < static_cast<int>(in_flight_.size()) && in_flight_[device] > 0) --in_flight_[device];
}

int DeviceTurns::InFlight(int device) const {
  std::lock_guard<std::mutex> lock(mu_);
  return device >= 0 && device < static_cast<int>(in_flight_.size()) ? in_flight_[device] : 0;
}

}  // namespace acuity::batch
