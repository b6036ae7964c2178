// How the C library's allocator treats the large, short-lived buffers of a
// super-resolution run, for a program to set once at start-up (the acuity
// program and the viewer do, like SetComputeThreads).
//
// Every tile's tensors (tens to hundreds of MB) are freed when the tile is
// done and allocated again for the next. With glibc's defaults each such
// block comes from a fresh mmap and goes back with munmap, so every page is
// faulted in again for every tile: a thick ×4 of a 256-px photo spent 4.9 s
// of its 21.5 s CPU in the kernel (645 000 minor faults). Keeping freed
// memory in the process cuts that to 0.9 s (81 000 faults, about the pages
// touched once). Measured options (models/RESULTS.md, "Allocator"): this
// glibc setting, tcmalloc (0.8 s, within the noise, but one more library)
// and jemalloc with its defaults (25 s: it hands large extents back to the
// kernel even more eagerly).
//
//   int main(int argc, char** argv) {
//     acuity::KeepFreedMemoryForReuse();
//     ...
//   }
#ifndef ACUITY_ENHANCE_MEMORY_TUNING_H_
#define ACUITY_ENHANCE_MEMORY_TUNING_H_

namespace acuity {

// glibc malloc: blocks up to 32 MiB (the most glibc allows) come from the
// heap instead of separate mappings, freed memory is not returned to the
// kernel (trim threshold 2 GiB) and the heap grows 512 MiB at a time
// (address space; pages are only resident once touched). Peak resident
// memory is unchanged: the same buffers are reused instead of remapped.
// Under an address-space or data limit (`ulimit -v`/`-d`), which counts
// reserved address space, the heap grows by at most 1/16 of the limit at a
// time and all threads share one malloc arena (each thread's own arena
// reserves 64 MiB).
// Returns false when the C library refused a setting.
bool KeepFreedMemoryForReuse();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_MEMORY_TUNING_H_
