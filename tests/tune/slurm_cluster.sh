#!/usr/bin/env bash
# A real single-node Slurm cluster in a folder, for the tests of
# `kiln tune --runner slurm`: munge, slurmctld and slurmd (Debian's munge
# and slurm-wlm) with their configuration, state, logs and sockets in DIR.
#   slurm_cluster.sh start DIR   starts it and waits until its node is idle;
#                                then SLURM_CONF=DIR/slurm.conf talks to it
#   slurm_cluster.sh stop DIR    stops it
set -euo pipefail
action=$1
dir=$(realpath -m "$2")
# The daemons live in sbin, which a user's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

stop() {
  for daemon in slurmd slurmctld munged; do
    if [ -f "$dir/$daemon.pid" ]; then
      kill "$(cat "$dir/$daemon.pid")" 2>/dev/null || true
      rm -f "$dir/$daemon.pid"
    fi
  done
}

if [ "$action" = stop ]; then
  stop
  exit 0
fi

for tool in munged:munge slurmctld:slurmctld slurmd:slurmd sinfo:slurm-client; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    echo "slurm_cluster.sh: ${tool%%:*} is not installed: apt-get install ${tool##*:} (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
done
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
head -c 1024 /dev/urandom > "$dir/munge.key"
chmod 400 "$dir/munge.key"
# --force: munged refuses root otherwise; the test's cluster runs as whoever runs the tests.
munged --force --socket="$dir/munge.sock" --key-file="$dir/munge.key" --log-file="$dir/log/munged.log" \
  --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed"
host=$(uname -n | cut -d. -f1)  # the name slurmd finds for itself
# Ports of their own (from this shell's pid), so a cluster left over elsewhere does not answer.
port=$((20000 + ($$ % 20000) * 2))
user=$(id -un)
# Addresses given: the machine's name need not resolve (containers, CI).
cat > "$dir/slurm.conf" <<CONF
ClusterName=kilntest
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups: the cluster runs inside containers and CI machines too.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=boards Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do
  if sinfo -h -o %t 2>/dev/null | grep -qx idle; then exit 0; fi
  sleep 0.5
done
echo "slurm_cluster.sh: the node did not come up; logs in $dir/log" >&2
tail -n 20 "$dir"/log/*.log >&2 || true
stop
exit 1
