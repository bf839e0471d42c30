#!/bin/sh
# A one-node SLURM cluster on this machine for `make cluster-test`: munged, slurmctld and slurmd of its own.
#
# The configuration, state, logs and pid files live in STATE; the daemons listen on ports of their own (6917,
# 6918). slurmd runs "configless" (it fetches the configuration from slurmctld and links /run/slurm/conf to its
# copy), which is how commands find the cluster without SLURM_CONF: Snakemake's SLURM plugins drop every SLURM_*
# variable before they call srun inside a job. A machine with its own /etc/slurm/slurm.conf is refused (commands
# would read that one). munged: the one answering on the default socket, or one started here with a key in STATE.
# Idempotent: a daemon that runs already is left running (restarted when the configuration changed). Needs root
# (slurmd starts jobs as their user) and, when the packages are missing, apt-get (Debian: slurmctld, slurmd,
# slurm-client, munge; SLURM 22.05 on Debian 12). No systemd.
#
# Usage: cluster/slurm-up.sh [STATE]    (default /var/lib/provincial-plans-slurm)
# Prints `started: NAMES`: the daemons this call started, which cluster/slurm-down.sh STATE NAMES stops.
# Environment: SLURM_NODE_MEM_MB (default 4096: the node offers min(this, 85 % of RAM)), SLURM_NODE_CPUS (nproc).
set -eu
STATE=$(realpath -m "${1:-/var/lib/provincial-plans-slurm}")   # SLURM wants absolute paths
say() { echo "slurm-up: $*" >&2; }
[ "$(id -u)" = 0 ] || { say "needs root (slurmd starts jobs as their user)"; exit 1; }
[ ! -e /etc/slurm/slurm.conf ] || { say "this machine has a SLURM configuration of its own (/etc/slurm/slurm.conf)"; exit 1; }

# 1. packages; apt-get update only when the install fails without it
PACKAGES="slurmctld slurmd slurm-client munge"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
  || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || { say "the SLURM and munge packages are missing and there is no apt-get"; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq $PACKAGES >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq $PACKAGES >/dev/null; } \
    || { say "apt-get install $PACKAGES failed"; exit 1; }
fi

# 2. configuration: the node is this machine under its short host name (what slurmd calls itself)
mkdir -p "$STATE/ctld" "$STATE/spool" "$STATE/log"
HOST=$(hostname -s)
CPUS=${SLURM_NODE_CPUS:-$(nproc)}
MEM=$(awk -v cap="${SLURM_NODE_MEM_MB:-4096}" '/^MemTotal/ { m = int($2 / 1024 * 0.85); print (m < cap ? m : cap) }' /proc/meminfo)
NEW=$(mktemp)
cat > "$NEW" <<EOF
# Written by cluster/slurm-up.sh: a one-node cluster for the project's tests.
ClusterName=provincial-plans
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=6917
SlurmdPort=6918
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmctldParameters=enable_configless
# No slurmdbd: jobs are accounted by the job completion plugin (\`sacct --completion\` reads JobCompLoc), and
# squeue shows a finished job for MinJobAge seconds, long enough for Snakemake's status checks.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/log/jobcomp.txt
MinJobAge=600
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
CHANGED=0
if ! cmp -s "$NEW" "$STATE/slurm.conf"; then install -m 0644 "$NEW" "$STATE/slurm.conf"; CHANGED=1; fi
rm -f "$NEW"
running() { [ -s "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }
STARTED=""

# 3. munged: the one on the default socket, else one of ours (as root, with a key of its own)
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s "$STATE/munge.key" ] || (umask 077 && dd if=/dev/urandom of="$STATE/munge.key" bs=1024 count=1 2>/dev/null)
  mkdir -p /run/munge && chmod 0755 /run/munge   # munged refuses a socket folder others cannot enter
  munged --force --key-file="$STATE/munge.key" --pid-file="$STATE/munged.pid" --seed-file="$STATE/munged.seed" \
    --log-file="$STATE/log/munged.log" || { say "munged did not start:"; tail -3 "$STATE/log/munged.log" >&2; exit 1; }
  STARTED="$STARTED munged"
fi

# 4. slurmctld and slurmd, restarted when the configuration changed
stop() {
  pid=$(cat "$STATE/$1.pid"); kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
for daemon in slurmd slurmctld; do
  if [ $CHANGED = 1 ] && running $daemon; then stop $daemon; fi
done
start() {
  "$@" || { say "$1 did not start:"; tail -5 "$STATE/log/$1.log" >&2; exit 1; }
  STARTED="$STARTED $1"
}
running slurmctld || start slurmctld -f "$STATE/slurm.conf"
running slurmd || start slurmd --conf-server 127.0.0.1:6917

# 5. wait until the node takes jobs (20 s at most)
i=0
until sinfo -h -n "$HOST" -o %t 2>/dev/null | grep -q -E '^(idle|mix|alloc)'; do
  i=$((i + 1))
  if [ $i -ge 100 ]; then
    say "node $HOST does not take jobs after 20 s: $(sinfo -h -o '%t %E' 2>&1)"
    tail -5 "$STATE/log/slurmctld.log" "$STATE/log/slurmd.log" >&2 || true
    exit 1
  fi
  [ $i != 25 ] || scontrol update nodename="$HOST" state=resume 2>/dev/null || true
  sleep 0.2
done
say "node $HOST up ($CPUS CPUs, $MEM MB) in $STATE"
echo "started:$STARTED"
