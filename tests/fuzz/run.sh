#!/bin/sh
# run.sh - fuzz each reader for a set time and say what it found.
# Usage: run.sh DIR SECONDS MAXLEN READER...   ('make fuzz' builds DIR/fuzz-READER)
# DIR/corpus/READER grows from the project's own inputs; DIR/crashes/READER
# holds this run's reproducers. Exits 1 when any reader crashed. See LICENSE.
set -u

dir=${1:?usage: run.sh DIR SECONDS MAXLEN READER...}
secs=${2:?seconds}
maxlen=${3:?max_len}
shift 3
say() { printf 'fuzz: %s\n' "$*"; }
export UBSAN_OPTIONS=print_stacktrace=1

# The project's real inputs for each reader, besides tests/fuzz/seeds/READER/.
inputs() {
	case $1 in
	csv)  echo testbenches/data/*.csv testbenches/data/*.tsv ;;
	spec) echo testbenches/*.ini ;;
	card) echo models/*.lib ;;
	deck) echo netlists/*.cir testbenches/*.cir ;;
	data) echo testbenches/data/sklearn_iris.csv ;;
	esac
}

# "KIND at FUNCTION FILE:LINE" of a sanitizer's report: the first frame in
# src/ says where a reader went wrong; a broken contract is fuzz.c's line.
signature() {
	awk '
	/^fuzz: / && !kind { kind = substr($0, 7); where = "-" }
	/runtime error:/ && !kind {
		kind = "undefined behaviour"
		if (match($0, /src\/[^: ]*:[0-9]+/)) line = substr($0, RSTART, RLENGTH)
	}
	/ERROR: [A-Za-z]+: / && !kind {
		kind = $0
		sub(/.*ERROR: /, "", kind)
		sub(/ (on|at|after|\().*/, "", kind)
	}
	/^ *#[0-9]+ 0x[0-9a-f]+ in / && !where && match($0, /src\/[^: ]*:[0-9]+/) {
		where = $4 " " substr($0, RSTART, RLENGTH)
	}
	END { printf "%s at %s\n", kind ? kind : "crash", where ? where : line ? line : "?" }' "$1"
}

# A figure of fork mode's status line "#EXECS: cov: C ft: F corp: N ...".
stat_of() {
	case $1 in
	'#') printf '%s\n' "$2" | sed -n 's/^#\([0-9]*\):.*/\1/p' ;;
	*) printf '%s\n' "$2" | sed -n "s/.* $1: \([0-9]*\).*/\1/p" ;;
	esac
}

failed=0
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
printf '%-8s %7s %10s %6s %6s %7s %8s\n' reader seconds execs cov ft corpus crashes >"$summary"
for r in "$@"; do
	bin=$dir/fuzz-$r corpus=$dir/corpus/$r out=$dir/crashes/$r log=$dir/$r.log
	rm -rf "$out"
	mkdir -p "$corpus" "$out"
	for f in tests/fuzz/seeds/"$r"/* $(inputs "$r"); do   # seeds cut to what a run can use
		[ -f "$f" ] && head -c "$maxlen" "$f" >"$corpus/seed-$(basename "$f")"
	done
	case $r in
	data | weights) dict=tests/fuzz/csv.dict ;;   # both read through csv_read
	*) dict=tests/fuzz/$r.dict ;;
	esac
	[ -f "$dict" ] && dict=-dict=$dict || dict=
	say "$r: ${secs} s on $bin (log $log)"
	# Fork mode goes on after a crash, so one known bug does not hide the next.
	"$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$secs" -max_len="$maxlen" -timeout=10 $dict \
		-artifact_prefix="$out/" "$corpus" >"$log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+: cov: ' "$log" | tail -n 1)
	if [ -z "$last" ]; then
		say "$r: the fuzzer did not run (exit $rc); the end of $log:"
		tail -n 5 "$log"
		failed=1
		continue
	fi
	execs=$(stat_of '#' "$last") cov=$(stat_of cov "$last") ft=$(stat_of ft "$last")
	corp=$(stat_of corp "$last")
	# One reproducer per place: re-run each input for its report, keep the
	# first of each signature, minimised (at most 10 s), with its report.
	n=0
	for a in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
		[ -f "$a" ] || continue
		n=$((n + 1))
		"$bin" -timeout=10 "$a" >"$a.txt" 2>&1
		sig=$(signature "$a.txt")
		grep -qxF "$sig" "$out/signatures" 2>/dev/null && continue
		printf '%s\n' "$sig" >>"$out/signatures"
		base=$(basename "$a")
		case $sig in   # min-crash-src-csv.c-80, or by the input's hash
		*src/*) min=$out/min-${base%%-*}-$(printf '%s' "${sig##* }" | tr -c 'A-Za-z0-9.' '-') ;;
		*) min=$out/min-$base ;;
		esac
		case $a in
		*/timeout-*) cp "$a" "$min" ;;
		*) "$bin" -minimize_crash=1 -max_total_time=10 -timeout=10 \
			-exact_artifact_path="$min" "$a" >"$min.log" 2>&1
		   [ -s "$min" ] || cp "$a" "$min" ;;
		esac
		"$bin" -timeout=10 "$min" >"$min.txt" 2>&1
		known=$(grep -F " ${sig##* at }" tests/fuzz/known-failing 2>/dev/null |
			awk '!/^#/ { print $1 ($2 == "-" ? ", no fix yet" : ", fixed in " $2); exit }')
		say "CRASH $r: $sig${known:+ (known-failing: $known)}"
		say "  reproducer $min (report $min.txt)"
		failed=1
	done
	printf '%-8s %7s %10s %6s %6s %7s %8s\n' "$r" "$secs" "$execs" "$cov" "$ft" "$corp" "$n" \
		>>"$summary"
done
sed 's/^/fuzz: /' "$summary"
if [ "$failed" != 0 ]; then
	say "a reader crashed: keep each reproducer in tests/fuzz/cases/READER/ (see README.md)"
	exit 1
fi
