#!/usr/bin/env bash
# Start a one-node SLURM cluster (munged + slurmctld + slurmd on this host), e.g. to try
# multi-process `nas run` under srun/sbatch on a single machine or in a container.
#   scripts/start_local_slurm.sh          # (re)start; overwrites /etc/slurm/slurm.conf
#   scripts/start_local_slurm.sh --stop   # stop slurmd and slurmctld (munged is left running)
# Needs root; installs Debian's `slurm-wlm` and `munge` when they are missing.
set -euo pipefail

SPOOL=/var/spool/slurm
LOGDIR=/var/log/slurm
CONF=/etc/slurm/slurm.conf

stop_slurm() {
    local d pid
    for d in slurmd slurmctld; do
        pid=$(cat "/run/$d.pid" 2>/dev/null || true)
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            # Wait so that a restart does not race the old daemon for its port and pid file.
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        fi
        rm -f "/run/$d.pid"
    done
}

if [[ ${1:-} == --stop ]]; then
    stop_slurm
    echo "slurmd and slurmctld stopped (munged left running: munged --stop stops it)"
    exit 0
fi
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge
fi

# munge authenticates every slurm RPC. The Debian package normally creates the key; a bare image may not.
[[ -s /etc/munge/munge.key ]] || { mungekey --create --keyfile=/etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    # No systemd in a container: create the runtime dir the unit would, and run as munge (munged refuses root).
    install -d -o munge -g munge -m 755 /run/munge
    install -d -o munge -g munge -m 700 /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
fi

stop_slurm
install -d -m 755 "$SPOOL/ctld" "$SPOOL/d" "$LOGDIR"

NODE=$(hostname -s)
CPUS=$(nproc)
# slurmd drains a node whose configured memory exceeds what it finds, so leave a margin.
MEM_MB=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 - 1024 ))

# proctrack/linuxproc and task/none: no cgroup hierarchy is needed (containers often lack a writable one).
# SlurmUser=root: the state dirs need no chown. MpiDefault=none: pick --mpi=pmi2 per srun when wanted.
cat > "$CONF" <<EOF
# Written by $(realpath "$0") -- rerunning it overwrites this file.
ClusterName=local
SlurmctldHost=$NODE
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$SPOOL/ctld
SlurmdSpoolDir=$SPOOL/d
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$NODE CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF

# -c: forget jobs from an earlier start, so a restart always comes up clean.
slurmctld -c
slurmd -c

for _ in $(seq 30); do
    state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 1
done
if [[ ${state:-} != idle ]]; then
    echo "node $NODE is '${state:-unreachable}', not idle, after 30 s; see $LOGDIR/slurmctld.log and $LOGDIR/slurmd.log" >&2
    exit 1
fi
sinfo
echo "SLURM is up (config $CONF). Stop it with: $(realpath "$0") --stop"
