#!/usr/bin/env bash
# Starts a real one-node SLURM cluster on this machine (for tests/slurm/, and CI):
# installs slurm-wlm and munge with apt-get when missing (needs root), writes a minimal
# slurm.conf (this host as the only node, no cgroups, root as SlurmUser), starts munged,
# slurmctld and slurmd, and waits until `sinfo` shows the node idle. Idempotent: a cluster
# already up is left alone. Logs: /var/log/slurm/.
set -euo pipefail

if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
  echo "slurm: already up"; exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "slurm: starting a local cluster needs root" >&2; exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

HOST=$(hostname -s)
CPUS=$(nproc)
CONF_DIR=/etc/slurm
mkdir -p "$CONF_DIR" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat > "$CONF_DIR/slurm.conf" <<CONF
# Written by tests/slurm/start_local_slurm.sh: one node, this host, no cgroups.
ClusterName=gen_models_local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmdTimeout=300
InactiveLimit=0
KillWait=5
NodeName=$HOST CPUs=$CPUS RealMemory=1000 State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

# munge: the key comes with the package; generate one if it is missing.
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
if ! pgrep -x munged >/dev/null; then
  if id munge >/dev/null 2>&1; then
    chown -R munge: /etc/munge /var/lib/munge /var/log/munge /run/munge 2>/dev/null || true
    chmod 0400 /etc/munge/munge.key
    runuser -u munge -- /usr/sbin/munged
  else
    /usr/sbin/munged --force
  fi
fi
munge -n | unmunge >/dev/null

pgrep -x slurmctld >/dev/null || /usr/sbin/slurmctld
pgrep -x slurmd >/dev/null || /usr/sbin/slurmd

for _ in $(seq 60); do
  state=$(sinfo -h -n "$HOST" -o '%t' 2>/dev/null || true)
  case "$state" in
    idle|mix|alloc) echo "slurm: node $HOST $state"; exit 0 ;;
    down*|drain*) scontrol update NodeName="$HOST" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 1
done
echo "slurm: node $HOST did not come up (state '${state:-none}'); see /var/log/slurm/" >&2
exit 1
