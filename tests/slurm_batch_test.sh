#!/usr/bin/env bash
# A real Slurm test of `acuity batch --shard`: starts a single-node Slurm
# cluster on this machine from Debian's packages (munged as the munge user,
# slurmctld and slurmd with a slurm.conf written into a temp dir), submits
# `sbatch --array=0-3` of `acuity batch --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`
# over ~200 small images derived from the scikit-image photos, and checks:
#   - the union of the shard files equals a single-process run (same
#     figures), no input twice;
#   - an array task cancelled mid-way (scancel) and resubmitted finishes
#     without redoing the inputs it had recorded;
#   - where the cluster gives jobs a cgroup memory limit (slurm_cluster.sh),
#     a job whose --mem is too small for one of its files plans with that
#     limit: the file is recorded as failed and retryable, the others are
#     done, nothing is killed; `--retry-failed` with more memory finishes it.
# Every daemon it started is stopped by its PID, also on failure.
#
#   tests/slurm_batch_test.sh build/acuity      (as root; exit 77 = skipped)
set -euo pipefail

ACUITY=$(realpath "${1:?usage: slurm_batch_test.sh ACUITY_BINARY}")
SKIP=77
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: the Slurm test starts munged, slurmctld and slurmd, which needs root (CI runs as root)"
  exit $SKIP
fi
for tool in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool missing: run ./setup.sh (slurmctld slurmd slurm-client munge)"; exit 1; }
done

TMP=$(mktemp -d /tmp/acuity-slurm.XXXXXX)
# shellcheck source=tests/slurm_cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/slurm_cluster.sh"
cleanup() {
  slurm_cluster_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for log in "$TMP"/slurmctld.log "$TMP"/slurmd.log "$TMP"/munge/munged.log "$TMP"/logs/*; do
    [[ -f "$log" ]] && { echo "--- $log"; tail -15 "$log"; }
  done
  exit 1
}
log() { echo "slurm_batch_test: $*"; }

# --- ~200 small photos (64-128 px) cut from the scikit-image photos ---------
/usr/bin/python3 - "$TMP/in" <<'EOF'
import os, sys
import numpy as np
from skimage import data, io, transform, util
out = sys.argv[1]
photos = {n: getattr(data, n)() for n in ("astronaut", "coffee", "chelsea", "rocket", "camera", "immunohistochemistry")}
rng = np.random.default_rng(15)
for i in range(200):
    name = list(photos)[i % len(photos)]
    img = photos[name]
    side = int(rng.integers(64, 129))
    crop = min(int(side * rng.uniform(1.0, 3.0)), min(img.shape[:2]) - 1)
    y = int(rng.integers(0, img.shape[0] - crop)); x = int(rng.integers(0, img.shape[1] - crop))
    small = util.img_as_ubyte(transform.resize(img[y:y + crop, x:x + crop], (side, side), anti_aliasing=True))
    folder = os.path.join(out, name, str(i % 4))
    os.makedirs(folder, exist_ok=True)
    io.imsave(os.path.join(folder, f"{i:03d}." + ("png" if i % 7 == 0 else "jpg")), small, check_contrast=False)
EOF
COUNT=$(find "$TMP/in" -type f | wc -l)
[[ $COUNT -eq 200 ]] || fail "made $COUNT images, not 200"

# --- the cluster: munged, slurmctld, slurmd ------------------------------------
slurm_cluster_start "$TMP" || fail "the cluster did not start"
log "cluster up ($(sinfo -h -o '%N %t %c CPUs'))"
mkdir -p "$TMP/logs"

# --- the job script (what docs/cluster.md shows) ------------------------------
cat >"$TMP/acuity-batch.sbatch" <<EOF
#!/bin/sh
#SBATCH --cpus-per-task=1
# SHARDS: the shard count when resubmitting a single task (--array=1 makes
# SLURM_ARRAY_TASK_COUNT 1).
exec "$ACUITY" batch --do analyze --jobs 1 --out "\$OUT" \\
  --shard "\$SLURM_ARRAY_TASK_ID/\${SHARDS:-\$SLURM_ARRAY_TASK_COUNT}" "$TMP/in"
EOF

# Submits; prints the job id.
submit() { sbatch --parsable --output="$TMP/logs/%A_%a.out" "$@" "$TMP/acuity-batch.sbatch"; }
wait_job() { slurm_wait "$1" "${2:-100}" || fail "job $1 still running after ${2:-100} s"; }

# --- 1. the array over 4 shards vs one process ---------------------------------
START=$SECONDS
JOB=$(OUT=$TMP/sharded submit --array=0-3 --export=ALL,OUT=$TMP/sharded)
wait_job "$JOB"
ARRAY_S=$((SECONDS - START))
START=$SECONDS
"$ACUITY" batch --do analyze --jobs 2 --out "$TMP/single" "$TMP/in" >"$TMP/logs/single.out" 2>&1 \
  || fail "the single-process run failed"
log "array of 4 shards: ${ARRAY_S} s; one process, 2 jobs: $((SECONDS - START)) s"

/usr/bin/python3 - "$TMP" <<'EOF' || fail "the shards differ from the single-process run"
import glob, json, sys
tmp = sys.argv[1]
def records(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        p = r["input"]["path"]
        assert p not in out, f"{p} twice in {path}"
        out[p] = r
    return out
single = records(f"{tmp}/single/results.jsonl")
files = sorted(glob.glob(f"{tmp}/sharded/results.shard-*-of-4.jsonl"))
assert len(files) == 4, files
union = {}
for f in files:
    for p, r in records(f).items():
        assert p not in union, f"{p} in two shards"
        union[p] = r
assert len(single) == 200, len(single)
assert union.keys() == single.keys(), set(union) ^ set(single)
for p, r in single.items():
    assert r["status"] == "ok", (p, r["error"])
    assert union[p]["analysis"] == r["analysis"], f"{p}: different figures"
print(f"slurm_batch_test: 4 shards, {[sum(1 for _ in open(f)) for f in files]} records, union == single run (200)")
EOF
"$ACUITY" batch --summary "$TMP/sharded" | grep -q "summary: 200 inputs: 200 ok" || fail "summary over the shards"

# --- 2. cancel one array task mid-way, resubmit it ------------------------------
SHARD1=$TMP/cancel/results.shard-1-of-4.jsonl
FULL=$(wc -l <"$TMP/sharded/results.shard-1-of-4.jsonl")
JOB=$(submit --array=0-3 --export=ALL,OUT=$TMP/cancel)
for _ in $(seq 600); do
  [[ -f $SHARD1 && $(wc -l <"$SHARD1") -ge 3 ]] && break
  sleep 0.05
done
scancel "${JOB}_1"
wait_job "$JOB"
DONE=$(wc -l <"$SHARD1")
[[ $DONE -lt $FULL ]] || fail "task 1 finished ($DONE of $FULL) before it was cancelled: nothing to test"
log "task 1 cancelled after $DONE of $FULL inputs"
cp "$SHARD1" "$TMP/before-resume.jsonl"
JOB=$(submit --array=1 --export=ALL,OUT=$TMP/cancel,SHARDS=4)
wait_job "$JOB"
grep -q "$DONE of $FULL inputs already recorded, skipped" "$TMP/logs/${JOB}_1.out" \
  || fail "the resubmitted task did not skip the $DONE recorded inputs"
/usr/bin/python3 - "$TMP" "$DONE" <<'EOF' || fail "the resumed shard is wrong"
import json, sys
tmp, done = sys.argv[1], int(sys.argv[2])
lines = open(f"{tmp}/cancel/results.shard-1-of-4.jsonl").read().splitlines()
before = open(f"{tmp}/before-resume.jsonl").read().splitlines()
assert lines[:len(before)] == before, "recorded lines changed"
paths = [json.loads(l)["input"]["path"] for l in lines]
assert len(paths) == len(set(paths)), "an input recorded twice"
full = {json.loads(l)["input"]["path"] for l in open(f"{tmp}/sharded/results.shard-1-of-4.jsonl")}
assert set(paths) == full, set(paths) ^ full
print(f"slurm_batch_test: resumed shard 1: {len(before)} kept, {len(paths) - len(before)} added, none twice")
EOF
# --- 3. a job memory limit too small for one of its files -------------------------
if [[ $SLURM_CLUSTER_MEMORY_LIMITS == 1 ]]; then
  mkdir -p "$TMP/mem"
  cp "$TMP"/in/astronaut/0/*.jpg "$TMP/mem/"
  # 48 MP: its analysis needs about 600 MB (enhance/memory_estimate.h)
  /usr/bin/python3 -c "import sys, numpy as np; from skimage import data, io
io.imsave(sys.argv[1], np.repeat(np.repeat(data.astronaut()[:500, :500], 12, 0), 16, 1), quality=90)" \
    "$TMP/mem/big.jpg"
  cat >"$TMP/mem.sbatch" <<EOF
#!/bin/sh
exec "$ACUITY" batch --do analyze --jobs 2 --out "$TMP/memout" \$RETRY "$TMP/mem"
EOF
  JOB=$(sbatch --parsable --mem=300M --output="$TMP/logs/mem.out" "$TMP/mem.sbatch")
  wait_job "$JOB" 120
  grep -q "(the cgroup's memory limit)" "$TMP/logs/mem.out" || fail "the job did not plan with its --mem"
  STATE=$(scontrol show job "$JOB" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  [[ $STATE != OUT_OF_MEMORY ]] || fail "the job was killed for memory"
  JOB=$(sbatch --parsable --mem=1500M --export=ALL,RETRY=--retry-failed --output="$TMP/logs/mem-retry.out" \
    "$TMP/mem.sbatch")
  wait_job "$JOB" 120
  /usr/bin/python3 - "$TMP" <<'EOF' || fail "the memory-limited job's records are wrong"
import glob, json, os, sys
tmp = sys.argv[1]
inputs = sorted(os.listdir(f"{tmp}/mem"))
records = [json.loads(l) for l in open(f"{tmp}/memout/results.jsonl")]
first = {r["input"]["path"]: r for r in records[:len(inputs)]}
assert sorted(first) == inputs, (sorted(first), inputs)
big = first["big.jpg"]
assert big["status"] == "error" and big["retryable"] and big["exit_code"] == 4, big
assert all(r["status"] == "ok" for p, r in first.items() if p != "big.jpg"), first
retried = records[len(inputs):]
assert [r["input"]["path"] for r in retried] == ["big.jpg"] and retried[0]["status"] == "ok", retried
print(f"slurm_batch_test: --mem=300M: big.jpg refused ({big['error']}), {len(inputs) - 1} done; "
      "--mem=1500M --retry-failed: done")
EOF
else
  log "no cgroup memory limits on this machine: the --mem part is not run"
fi
log "ok"
