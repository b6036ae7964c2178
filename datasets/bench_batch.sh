#!/usr/bin/env bash
# Batch throughput (datasets/RESULTS.md, "Batch throughput"): N small photos
# derived from the scikit-image photos (~0.3 MP JPEGs), and files per second
# for
#   - `acuity batch --do analyze` with --jobs 1 and --jobs 2 (one process),
#   - a shell loop of single-file `acuity analyze --json` calls (over the
#     first LOOP_N files: one process per file),
#   - the same batch as a Slurm array of 4 shards on a single-node cluster
#     started here (root only; tests/slurm_cluster.sh),
#   - and the time a resume takes when everything is already recorded.
# All in one run, so that the ratios hold even on a loaded machine.
#
#   datasets/bench_batch.sh [ACUITY] [N=1000] [LOOP_N=N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACUITY=$(realpath "${1:-build/acuity}")
N=${2:-1000}
LOOP_N=${3:-$N}
TMP=$(mktemp -d /tmp/acuity-bench-batch.XXXXXX)
chmod 755 "$TMP"  # munged (the munge user) reaches its directory inside
# shellcheck source=tests/slurm_cluster.sh
source tests/slurm_cluster.sh
trap 'slurm_cluster_stop; rm -rf "$TMP"' EXIT

/usr/bin/python3 - "$TMP/in" "$N" <<'EOF'
import os, sys
import numpy as np
from skimage import data, io, transform, util
out, n = sys.argv[1], int(sys.argv[2])
names = ["astronaut", "coffee", "chelsea", "rocket", "camera", "immunohistochemistry", "hubble_deep_field"]
photos = [getattr(data, name)() for name in names]
rng = np.random.default_rng(1000)
for i in range(n):
    img = photos[i % len(photos)]
    w, h = (640, 480) if i % 3 else (480, 640)          # 0.31 MP, both orientations
    w, h = min(w, img.shape[1]), min(h, img.shape[0])
    s = rng.uniform(0.6, 1.0)                             # a crop of 60-100 % of the side, resized
    cw, ch = int(img.shape[1] * s), int(img.shape[0] * s)
    y, x = int(rng.integers(0, img.shape[0] - ch + 1)), int(rng.integers(0, img.shape[1] - cw + 1))
    small = util.img_as_ubyte(transform.resize(img[y:y + ch, x:x + cw], (h, w), anti_aliasing=True))
    folder = os.path.join(out, f"{i // 100:02d}")
    os.makedirs(folder, exist_ok=True)
    io.imsave(os.path.join(folder, f"{i:04d}.jpg"), small, quality=90, check_contrast=False)
EOF

seconds() { local start=$EPOCHREALTIME; "$@" >/dev/null 2>"$TMP/last.err" || { tail -3 "$TMP/last.err"; exit 1; }
  echo "$EPOCHREALTIME - $start" | bc; }
rate() { echo "scale=2; $1 / $2" | bc; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start; $N files of ~0.3 MP"
T1=$(seconds "$ACUITY" batch --do analyze --jobs 1 --out "$TMP/jobs1" "$TMP/in")
T2=$(seconds "$ACUITY" batch --do analyze --jobs 2 --out "$TMP/jobs2" "$TMP/in")
TR=$(seconds "$ACUITY" batch --do analyze --jobs 2 --out "$TMP/jobs2" "$TMP/in")
find "$TMP/in" -name '*.jpg' | sort | head -n "$LOOP_N" >"$TMP/loop.txt"
loop() { while read -r f; do "$ACUITY" analyze --json "$f"; done <"$TMP/loop.txt"; }
TL=$(seconds loop)

TS=""
if [[ $(id -u) -eq 0 ]] && command -v slurmctld >/dev/null; then
  mkdir -p "$TMP/cluster" "$TMP/logs"
  slurm_cluster_start "$TMP/cluster" >/dev/null
  cat >"$TMP/job.sh" <<EOF
#!/bin/sh
#SBATCH --cpus-per-task=1
exec "$ACUITY" batch --do analyze --jobs 1 --out "$TMP/slurm" --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" "$TMP/in"
EOF
  start=$EPOCHREALTIME
  job=$(sbatch --parsable --array=0-3 --output="$TMP/logs/%A_%a.out" "$TMP/job.sh")
  slurm_wait "$job" 3600 || { echo "the array job did not finish"; exit 1; }
  TS=$(echo "$EPOCHREALTIME - $start" | bc)
  got=$(cat "$TMP"/slurm/results.shard-*-of-4.jsonl | wc -l)
  [[ $got -eq $N ]] || { echo "the array recorded $got of $N files"; exit 1; }
  slurm_cluster_stop
fi
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf '| %-52s | %9s | %8s | %-22s |\n' "run" "seconds" "files/s" "vs the loop (files/s)"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "-----------" "----------" "------------------------"
LOOP_RATE=$(rate "$LOOP_N" "$TL")
row() { printf '| %-52s | %9.1f | %8.2f | %-22s |\n' "$1" "$2" "$(rate "$3" "$2")" "$(echo "scale=1; $(rate "$3" "$2") / $LOOP_RATE" | bc)×"; }
row "shell loop of acuity analyze --json ($LOOP_N files)" "$TL" "$LOOP_N"
row "acuity batch --do analyze --jobs 1" "$T1" "$N"
row "acuity batch --do analyze --jobs 2" "$T2" "$N"
[[ -n "$TS" ]] && row "Slurm array 0-3 (--jobs 1 each, 2 CPUs), submit to done" "$TS" "$N"
printf '| %-52s | %9.2f | %8s | %-22s |\n' "resume, everything already recorded (--jobs 2)" "$TR" "-" "-"
