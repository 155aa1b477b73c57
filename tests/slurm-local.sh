#!/bin/sh
# slurm-local.sh - a private single-node Slurm on loopback for t-sweep.
# Usage: slurm-local.sh up DIR | down DIR
# 'up' writes DIR/slurm.conf, starts slurmctld and slurmd as root with their
# state, logs and pids in DIR, and waits until the node is idle; it prints
# the reason and exits 1 when they cannot start (the test then skips).
# Ports 16817/16818 and auth/none keep it apart from any real cluster: it
# listens on 127.0.0.1 only and lives as long as the test.
set -u
cmd=${1:?usage: slurm-local.sh up|down DIR}
dir=${2:?usage: slurm-local.sh up|down DIR}
export SLURM_CONF="$dir/slurm.conf"

if [ "$cmd" = down ]; then
	for d in slurmctld slurmd; do
		[ -f "$dir/$d.pid" ] && kill "$(cat "$dir/$d.pid")" 2>/dev/null
	done
	exit 0
fi

[ "$(id -u)" = 0 ] || { echo "not root: slurmd needs root"; exit 1; }
for b in slurmctld slurmd sbatch sinfo; do
	command -v "$b" >/dev/null 2>&1 || { echo "$b is not installed (Debian slurm-wlm)"; exit 1; }
done
host=$(hostname -s)
mkdir -p "$dir/state" "$dir/spool" || exit 1
cat > "$SLURM_CONF" <<CONF
ClusterName=limspice
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=limspice Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i >"$dir/start.log" 2>&1 || { echo "slurmctld did not start: $(tail -n 1 "$dir/start.log")"; exit 1; }
slurmd >>"$dir/start.log" 2>&1 || { echo "slurmd did not start: $(tail -n 1 "$dir/start.log")"; exit 1; }
i=0
while [ $i -lt 30 ]; do
	sinfo -h -o %t 2>/dev/null | grep -q idle && exit 0
	sleep 0.5
	i=$((i + 1))
done
echo "the node did not come up idle in 15 s: $(tail -n 1 "$dir/slurmctld.log" 2>/dev/null)"
"$0" down "$dir"
exit 1
