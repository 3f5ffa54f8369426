#!/bin/bash
# run.sh: the project's main job.  Lays out out/linux if needed, builds the
# patched kernel (debug config), boots it, runs the slab KUnit suites and
# prints per cache the sheaf capacity (once the series adds it) and the slab
# summary from /sys/kernel/slab.  Then it measures the patched kernel
# against baseline 6.12 with bench/bench.sh (micro-benchmarks only,
# --boots boots of each kernel, alternating) and prints the table.
#
#   gates/run.sh [--smp N] [--accel auto|kvm|tcg] [--backend uml|qemu] [--boots N] [--no-bench]
. "$(dirname "$0")/../lib/lib.sh"
SMP=2
ACCEL=auto
BACKEND=uml
BOOTS=10
BENCH=1
while [ $# -gt 0 ]; do
	case $1 in
	--smp) SMP=$2; shift 2 ;;
	--accel) ACCEL=$2; shift 2 ;;
	--backend) BACKEND=$2; shift 2 ;;
	--boots) BOOTS=$2; shift 2 ;;
	--no-bench) BENCH=0; shift ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "run.sh: unknown argument '$1'" ;;
	esac
done
check_choice backend "$BACKEND" qemu uml
check_choice accel "$ACCEL" auto kvm tcg
[[ $BOOTS =~ ^[1-9][0-9]*$ ]] || die $E_USAGE "--boots wants a positive number, got '$BOOTS'"
START=$(date +%s)
need_pkgs "${TOOL_PKGS[@]}"
say STEP "patched kernel: build (debug config), boot, KUnit suites, slab summary"
[ -d "$TREE_DIR/.git" ] || "$ROOT/queue/src.sh" || exit $?
"$ROOT/build/build.sh" --config debug --out "$OUT/build-debug" || exit $?
B=$OUT/build-debug
mods=() names=() suites=()
declare -A SUITE=([local_lock_kunit]=local_lock [slub_kunit]=slub_test
	[slub_sheaves_kunit]=slub_sheaves [kfence_test]=kfence [kasan_test]=kasan)
for m in local_lock_kunit slub_kunit slub_sheaves_kunit kfence_test kasan_test; do
	p=$(find "$B" -name "$m.ko" -print -quit)
	[ -n "$p" ] && { mods+=(--module "$p"); names+=("$m"); suites+=("${SUITE[$m]}"); }
done
# Judged as the kunit gate judges its boots of the same suites: the KASAN
# and KFENCE suites provoke reports on purpose, so the scan is for lockdep,
# RCU and atomic-sleep reports and panics.
"$ROOT/boot/boot.sh" --build "$B" --smp "$SMP" --accel "$ACCEL" --job "$ROOT/boot/guest/run.sh" \
	"${mods[@]}" --append " kunit_modules=$(IFS=,; echo "${names[*]}")" \
	--log "$LOGS/run.log" --scan lockdep --suites "$(IFS=,; echo "${suites[*]}")" \
	--require slub_test.test_kfree_rcu
rc=$?
echo
sed -n '/=== slab summary/,/=== GUEST-DONE/p' "$LOGS/run.log" |
	sed 's/^\[host [^]]*\] //' | grep -v '^=== GUEST-DONE'
if [ $BENCH = 1 ]; then
	echo
	say STEP "benchmark: baseline 6.12 against the patched kernel ($BACKEND, $BOOTS boots each)"
	"$ROOT/bench/bench.sh" --backend "$BACKEND" --boots "$BOOTS" --no-workloads || rc=1
fi
echo "wall time: $(( $(date +%s) - START )) s (console log: ${LOGS#"$ROOT"/}/run.log)"
exit $rc
