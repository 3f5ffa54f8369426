#!/bin/bash
# tooling-tests/run.sh: tests of the tooling itself.  Each tooling-tests/t-*.sh is run with
# ROOT and OUT set; it exits 0 on success.  Prints one line per test, in
# the order of the file names, with the seconds it took, and a last line
# "tooling tests: N passed, N failed".
#
#   tooling-tests/run.sh [-j N]     N tests at a time (default 3)
#
# Most tests wait (for a stand-in guest's timeout, for git, for a socket)
# rather than compute, so they run several at a time.  The tests that use
# the shared applied tree $OUT/tooltest-linux (they say so in their text)
# run one after the other in one job, as they would modify it under each
# other.  Exit: 0 all passed, 1 a test failed, 2 usage error.
cd "$(dirname "$0")/.." || exit 2
export ROOT=$PWD
export OUT=${OUT:-$ROOT/out}
JOBS=3
while [ $# -gt 0 ]; do
	case $1 in
	-j) JOBS=$2; shift 2 ;;
	-h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
	*) echo "tooling-tests/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "tooling-tests/run.sh: -j wants a positive number, got '$JOBS'" >&2; exit 2; }
mkdir -p "$OUT"
res=$(mktemp -d "$OUT/tooling-results.XXXXXX")
trap 'rm -rf "$res"' EXIT

# run_one TEST: run it, keep its output and exit code under $res.
run_one() {
	local t=$1 n t0
	n=$(basename "$t" .sh)
	t0=$(date +%s)
	bash "$t" >"$res/$n.out" 2>&1
	echo $? >"$res/$n.rc"
	echo $(($(date +%s) - t0)) >"$res/$n.secs"
}

tests=(tooling-tests/t-*.sh)
shared=() alone=()
for t in "${tests[@]}"; do
	if grep -q 'tooltest-linux' "$t"; then shared+=("$t"); else alone+=("$t"); fi
done
# Jobs: the shared-tree tests as one chain, then every other test.
running=0
start_job() {
	while [ "$running" -ge "$JOBS" ]; do
		wait -n
		running=$((running - 1))
	done
	"$@" &
	running=$((running + 1))
}
chain() { local t; for t in "$@"; do run_one "$t"; done; }
[ ${#shared[@]} = 0 ] || start_job chain "${shared[@]}"
for t in "${alone[@]}"; do
	start_job run_one "$t"
done
wait

pass=0 fail=0
for t in "${tests[@]}"; do
	n=$(basename "$t" .sh)
	if [ "$(cat "$res/$n.rc" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1)); echo "  ok      ${t#tooling-tests/} ($(cat "$res/$n.secs") s)"
	else
		fail=$((fail + 1)); echo "  FAILED  ${t#tooling-tests/} ($(cat "$res/$n.secs" 2>/dev/null || echo ?) s)"
		tail -15 "$res/$n.out" | sed 's/^/          /'
	fi
done
echo "tooling tests: $pass passed, $fail failed"
[ $fail = 0 ]
