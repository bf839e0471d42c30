#!/bin/sh
# Stop daemons of the cluster that cluster/slurm-up.sh started: only those named, by the pids in STATE.
#
# Usage: cluster/slurm-down.sh STATE [NAMES]   NAMES: of slurmd, slurmctld, munged (default: all three). The jobs
# of this cluster are cancelled first when slurmctld is among them. A pid whose process is not that daemon (a pid
# file left by a daemon that died, its number reused since) is left alone. /run/slurm/conf, the link slurmd made
# to its copy of the configuration, goes with slurmd.
set -eu
STATE=$(realpath -m "$1")
shift
NAMES=${*:-slurmd slurmctld munged}
case " $NAMES " in *" slurmctld "*) scancel --full --quiet --user="$(id -un)" 2>/dev/null || true ;; esac
for daemon in slurmd slurmctld munged; do
  case " $NAMES " in *" $daemon "*) ;; *) continue ;; esac
  [ -s "$STATE/$daemon.pid" ] || continue
  pid=$(cat "$STATE/$daemon.pid")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$daemon" ] || continue
  kill "$pid"
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  echo "slurm-down: stopped $daemon ($pid)" >&2
  if [ "$daemon" = slurmd ] && [ "$(readlink /run/slurm/conf)" = "$STATE/spool/conf-cache" ]; then
    rm -f /run/slurm/conf
  fi
done
