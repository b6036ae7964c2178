# A single-node Slurm cluster on this machine, from Debian's packages
# (slurmctld, slurmd, slurm-client, munge), everything in one directory:
# munged runs as the munge user on its own socket and key, slurmctld and
# slurmd as root (SlurmUser=root) from a slurm.conf written there. Sourced by
# tests/slurm_batch_test.sh and datasets/bench_batch.sh; needs root. Jobs get
# a cgroup memory limit (their --mem) where the machine allows it.
#
#   source tests/slurm_cluster.sh
#   trap 'slurm_cluster_stop' EXIT
#   slurm_cluster_start "$DIR" || exit 1     # exports SLURM_CONF
#   id=$(sbatch --parsable --array=0-3 job.sh); slurm_wait "$id" 100
#
# Every daemon started is recorded in SLURM_CLUSTER_PIDS and stopped by its
# PID (SIGTERM, then SIGKILL after 5 s) by slurm_cluster_stop.

SLURM_CLUSTER_PIDS=()

# DIR: where the key, the sockets, the state, the logs and slurm.conf go.
slurm_cluster_start() {
  local dir=$1
  chmod 755 "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
  mungekey -c -k "$dir/munge/munge.key" 2>/dev/null \
    || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chown -R munge:munge "$dir/munge"
  chmod 700 "$dir/munge"
  chmod 600 "$dir/munge/munge.key"
  runuser -u munge -- munged --foreground --force --key-file="$dir/munge/munge.key" \
    --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" >"$dir/munged.stdout" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  local _
  for _ in $(seq 50); do [[ -S $dir/munge/munge.socket ]] && break; sleep 0.1; done
  [[ -S $dir/munge/munge.socket ]] || { echo "slurm_cluster: munged did not start" >&2; return 1; }

  local host port memory_lines=""
  host=$(hostname -s)
  # Memory limits as a real cluster sets them: where cgroup v1's memory
  # controller is mounted and writable, slurmd puts each job in a cgroup
  # limited to its --mem (task/cgroup, ConstrainRAMSpace), and
  # SLURM_CLUSTER_MEMORY_LIMITS=1 says so; elsewhere (cgroup v2 needs
  # systemd's D-Bus for Slurm 22.05) jobs run without one.
  SLURM_CLUSTER_MEMORY_LIMITS=0
  if [[ -w /sys/fs/cgroup/memory/cgroup.procs && -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]]; then
    SLURM_CLUSTER_MEMORY_LIMITS=1
    local total_mb
    total_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
    memory_lines="ProctrackType=proctrack/cgroup
TaskPlugin=task/cgroup
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=2000
NODE_MEMORY=RealMemory=$((total_mb - 1024))"
    printf 'CgroupPlugin=cgroup/v1\nCgroupMountpoint=/sys/fs/cgroup\nConstrainRAMSpace=yes\nConstrainSwapSpace=no\n' \
      >"$dir/cgroup.conf"
  fi
  export SLURM_CLUSTER_MEMORY_LIMITS
  port=$((20000 + RANDOM % 20000))
  export SLURM_CONF=$dir/slurm.conf
  cat >"$SLURM_CONF" <<EOF
ClusterName=acuitytest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SelectType=select/cons_tres
$(if [[ $SLURM_CLUSTER_MEMORY_LIMITS == 1 ]]; then grep -v '^NODE_MEMORY=' <<<"$memory_lines"; else
  printf 'ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nSelectTypeParameters=CR_Core\n'; fi)
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=300
NodeName=$host CPUs=$(nproc) $(sed -n 's/^NODE_MEMORY=//p' <<<"$memory_lines") State=UNKNOWN
PartitionName=batch Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -D -i -f "$SLURM_CONF" >"$dir/slurmctld.stdout" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  slurmd -D -f "$SLURM_CONF" >"$dir/slurmd.stdout" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  for _ in $(seq 100); do
    sinfo -h -o %t 2>/dev/null | grep -q idle && return 0
    sleep 0.2
  done
  echo "slurm_cluster: the node did not come up idle" >&2
  tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null || true
  return 1
}

# Waits until job JOB has left the queue; 1 after SECONDS (default 100).
slurm_wait() {
  local end=$((SECONDS + ${2:-100}))
  while squeue -h -j "$1" 2>/dev/null | grep -q .; do
    [[ $SECONDS -lt $end ]] || return 1
    sleep 0.3
  done
}

slurm_cluster_stop() {
  local pid _
  for pid in "${SLURM_CLUSTER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SLURM_CLUSTER_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  SLURM_CLUSTER_PIDS=()
}
