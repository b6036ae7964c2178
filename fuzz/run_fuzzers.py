#!/usr/bin/env python3
"""Long fuzzing runs of acuity's fuzz targets, one at a time, nice'd.

Takes each target's command (dictionary, input size limit, committed corpus)
from its ctest in the sanitizer build, so that the settings live in one place
(fuzz/CMakeLists.txt), and runs it for longer. New inputs go to
BUILD/fuzz/long/NAME (kept between runs), crashes to BUILD/fuzz/artifacts/.
Prints one Markdown table row per target for docs/fuzzing.md.

  fuzz/run_fuzzers.py --runs 1000000 decode_jpeg decode_png   # 10^6 executions each
  fuzz/run_fuzzers.py --seconds 300                           # every target, 5 min each
  fuzz/run_fuzzers.py --runs 1000000 --seconds 3600 decode_tiff  # 10^6 executions or an hour
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import time


def fuzz_tests(build):
  out = subprocess.run(["ctest", "--test-dir", str(build), "-L", "fuzz", "--show-only=json-v1"],
                       check=True, capture_output=True, text=True).stdout
  tests = {}
  for test in json.loads(out)["tests"]:
    # sh -c SCRIPT FUZZER FLAGS... SCRATCH_DIR CORPUS_DIR
    command = test["command"]
    fuzzer, args = command[3], command[4:]
    flags = [a for a in args if a.startswith("-") and not a.startswith(("-max_total_time=", "-runs="))]
    tests[test["name"].removeprefix("fuzz_")] = (fuzzer, flags, args[-1])
  return tests


def stat(log, name):
  found = re.findall(rf"stat::{name}:\s+(\d+)", log)
  return int(found[-1]) if found else None


def run(build, name, fuzzer, flags, corpus, args):
  work = build / "fuzz" / "long" / name
  work.mkdir(parents=True, exist_ok=True)
  limit = ([f"-runs={args.runs}"] if args.runs else []) + ([f"-max_total_time={args.seconds}"] if args.seconds else [])
  log_path = build / "fuzz" / "long" / f"{name}.log"
  start = time.monotonic()
  with open(log_path, "w") as log:
    result = subprocess.run(["nice", "-n", str(args.nice), fuzzer, *flags, *limit, str(work), corpus],
                            stdout=log, stderr=subprocess.STDOUT)
  seconds = time.monotonic() - start
  log = log_path.read_text(errors="replace")
  cov = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", log)
  cov, features, corp = cov[-1] if cov else ("?", "?", "?")
  execs = stat(log, "number_of_executed_units")
  status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode}, see {log_path})"
  print(f"| {name} | {execs} | {seconds / 60:.1f} | {stat(log, 'average_exec_per_sec')} | {cov} | {features} | "
        f"{corp} | {stat(log, 'peak_rss_mb')} | {status} |", flush=True)
  return result.returncode == 0


def main():
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("targets", nargs="*", help="target names (decode_jpeg, ...); default: all")
  parser.add_argument("--build", default=pathlib.Path(__file__).resolve().parent.parent / "build-asan",
                      type=pathlib.Path, help="the sanitizer build directory (default: build-asan)")
  parser.add_argument("--nice", type=int, default=10,
                      help="niceness (default 10; 19 starves the fuzzer on a loaded machine)")
  parser.add_argument("--runs", type=int, help="executions per target")
  parser.add_argument("--seconds", type=int, help="seconds per target (with --runs: whichever comes first)")
  args = parser.parse_args()
  if not args.runs and not args.seconds:
    parser.error("give --runs, --seconds or both")
  tests = fuzz_tests(args.build)
  names = args.targets or sorted(tests)
  unknown = [n for n in names if n not in tests]
  if unknown:
    sys.exit(f"run_fuzzers: unknown target(s) {unknown}; known: {sorted(tests)}")
  print("| target | executions | minutes | exec/s | coverage (edges) | features | corpus | peak RSS MB | result |")
  print("|---|---|---|---|---|---|---|---|---|")
  ok = all([run(args.build, n, *tests[n], args) for n in names])
  sys.exit(0 if ok else 1)


if __name__ == "__main__":
  main()
