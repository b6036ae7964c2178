// Which GPU a batch file runs on when `--device auto` sees several: the one
// with the fewest files in flight (ties: the lowest index), so that a GPU
// that finished early gets the next file while a busy one keeps its own.
//
//   acuity::batch::DeviceTurns turns(/*devices=*/2);
//   {
//     acuity::batch::DeviceTurn turn(turns);     // turn.device(): 0 or 1
//     options.device.spread = turn.device();     // enhance/device.h
//     ...                                        // the file's work
//   }                                            // the GPU is free again
//
// With fewer than two devices nothing is spread: device() is -1 (auto's
// own choice, cuda:0 or the CPU).
#ifndef ACUITY_BATCH_DEVICE_TURNS_H_
#define ACUITY_BATCH_DEVICE_TURNS_H_

#include <mutex>
#include <vector>

namespace acuity::batch {

class DeviceTurns {
 public:
  explicit DeviceTurns(int devices);
  DeviceTurns(const DeviceTurns&) = delete;
  DeviceTurns& operator=(const DeviceTurns&) = delete;

  // The device with the fewest files in flight, now counted as one more;
  // -1 with fewer than two devices.
  int Take();
  // Gives back a device Take returned (-1: nothing).
  void Give(int device);
  // Files in flight on `device` (0 for an unknown one).
  int InFlight(int device) const;

 private:
  mutable std::mutex mu_;
  std::vector<int> in_flight_;  // per device
};

// One file's turn: takes a device on construction, gives it back on destruction.
class DeviceTurn {
 public:
  explicit DeviceTurn(DeviceTurns& turns) : turns_(turns), device_(turns.Take()) {}
  ~DeviceTurn() { turns_.Give(device_); }
  DeviceTurn(const DeviceTurn&) = delete;
  DeviceTurn& operator=(const DeviceTurn&) = delete;
  int device() const { return device_; }

 private:
  DeviceTurns& turns_;
  const int device_;
};

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_DEVICE_TURNS_H_
