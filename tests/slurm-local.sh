#!/bin/sh
# slurm-local.sh - a private single-node Slurm on loopback for t-sweep.
# Usage: slurm-local.sh up DIR | down DIR
# 'up' picks two free TCP ports, writes DIR/slurm.conf, starts slurmctld and
# slurmd as root with their state, logs and pids in DIR, and waits until the
# node is idle; it prints the reason and exits 1 when they cannot start (the
# test then skips). 'down' stops every process running on DIR/slurm.conf and
# returns only once they have exited, so that DIR can then be removed.
# Nothing is fixed but the caller's DIR (a temporary folder): the ports are
# drawn at run time, so two test runs on one machine each have their own
# Slurm. auth/none and the node on 127.0.0.1 keep it apart from any real
# cluster; it lives as long as the test.
set -u
cmd=${1:?usage: slurm-local.sh up|down DIR}
dir=${2:?usage: slurm-local.sh up|down DIR}
conf="$dir/slurm.conf"

# The processes of this Slurm: those started with SLURM_CONF=$conf in their
# environment (the daemons, slurmscriptd, job steps and their programs).
# Another run's daemons have another DIR; this shell is left out.
ours() {
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" != $$ ] && grep -qzxF "SLURM_CONF=$conf" "/proc/$p/environ" 2>/dev/null &&
			echo "$p"
	done
}

# Whether any of the pids in $1 still runs. A zombie has exited: the
# daemons' parent is init, which reaps when it gets round to it.
running() {
	for p in $1; do
		case $(sed -n 's/.*) \(.\).*/\1/p' "/proc/$p/stat" 2>/dev/null) in
		'' | Z) ;;
		*) return 0 ;;
		esac
	done
	return 1
}

# Stops this Slurm: TERM, up to 20 s for a clean exit (slurmctld saves its
# state on the way out), then KILL. 0 once every process has gone.
stop() {
	pids=$(ours)
	[ -n "$pids" ] || return 0
	kill $pids 2>/dev/null
	i=0
	while running "$pids" && [ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	running "$pids" || return 0
	kill -KILL $pids 2>/dev/null
	i=0
	while running "$pids" && [ $i -lt 25 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	running "$pids" && { echo "still running after SIGKILL: $pids"; return 1; }
	return 0
}

if [ "$cmd" = down ]; then
	stop
	exit
fi

# A TCP port nobody holds now, other than $1: drawn at random below the
# kernel's ephemeral range (outgoing connections take theirs from it) and
# absent from /proc/net/tcp and tcp6. A daemon may still lose it to a
# process that binds it in the meantime: 'up' then tries other ports.
free_port() {
	top=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ "${top:-0}" -gt 21000 ] 2>/dev/null || top=32768
	n=0
	while [ $n -lt 50 ]; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % (top - 20000)))
		if [ "$p" != "${1:-}" ] &&
		   ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q "$(printf ':%04X ' "$p")"; then
			echo "$p"
			return 0
		fi
		n=$((n + 1))
	done
	return 1
}

# The value of key in scontrol's "key = value" lines on stdin.
field() {
	awk -v k="$1" -F' *= ' '$1 == k { print $2 }'
}

[ "$(id -u)" = 0 ] || { echo "not root: slurmd needs root"; exit 1; }
for b in slurmctld slurmd sbatch sinfo scontrol; do
	command -v "$b" >/dev/null 2>&1 || { echo "$b is not installed (Debian slurm-wlm)"; exit 1; }
done
host=$(hostname -s)
mkdir -p "$dir/state" "$dir/spool" || exit 1
export SLURM_CONF="$conf"
why="no attempt"
for attempt in 1 2 3; do
	ctld_port=$(free_port) && slurmd_port=$(free_port "$ctld_port") ||
		{ echo "no free TCP port from 20000 up"; exit 1; }
	rm -f "$dir/slurmctld.pid" "$dir/slurmd.pid"
	cat > "$conf" <<CONF
ClusterName=limspice
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
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
	if ! slurmctld -i >"$dir/start.log" 2>&1; then
		why="slurmctld did not start: $(tail -n 1 "$dir/start.log")"
	elif ! slurmd >>"$dir/start.log" 2>&1; then
		why="slurmd did not start: $(tail -n 1 "$dir/start.log")"
	else
		i=0
		while [ $i -lt 30 ]; do
			if sinfo -h -o %t 2>/dev/null | grep -q idle; then
				# through our ports, but our daemons? Another Slurm may
				# have bound a port since it was drawn; ours then died.
				state=$(scontrol show config 2>/dev/null | field StateSaveLocation)
				log=$(scontrol show slurmd 2>/dev/null | field 'Slurmd Logfile')
				[ "$state" = "$dir/state" ] && [ "$log" = "$dir/slurmd.log" ] && exit 0
				why="another Slurm answers on port $ctld_port or $slurmd_port (its state in $state, slurmd log $log)"
				break
			fi
			sleep 0.5
			i=$((i + 1))
		done
		[ $i -lt 30 ] ||
			why="the node did not come up idle in 15 s (ports $ctld_port, $slurmd_port): $(tail -n 1 "$dir/slurmctld.log" 2>/dev/null)"
	fi
	stop >/dev/null
done
echo "$why"
exit 1
