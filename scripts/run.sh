#!/bin/bash
# run.sh: the project's main job.  Lays out out/linux if needed, builds the
# patched kernel (debug config), boots it, runs the slab KUnit suites and
# prints per cache the sheaf capacity (once the series adds it) and the slab
# summary from /sys/kernel/slab.
#
#   scripts/run.sh [--smp N]
. "$(dirname "$0")/lib.sh"
SMP=2
while [ $# -gt 0 ]; do
	case $1 in
	--smp) SMP=$2; shift 2 ;;
	-h|--help) sed -n '2,7p' "$0"; exit 0 ;;
	*) die $E_USAGE "run.sh: unknown argument '$1'" ;;
	esac
done
START=$(date +%s)
need_pkgs $TOOL_PKGS
[ -d "$TREE_DIR/.git" ] || "$ROOT/scripts/src.sh" || exit $?
"$ROOT/scripts/build.sh" --config debug --out "$OUT/build-debug" || exit $?
B=$OUT/build-debug
mods=() names=()
for m in local_lock_kunit slub_kunit kfence_test kasan_test; do
	p=$(find "$B" -name "$m.ko" -print -quit)
	[ -n "$p" ] && { mods+=(--module "$p"); names+=("$m"); }
done
"$ROOT/scripts/boot.sh" --build "$B" --smp "$SMP" --job "$ROOT/guest/run.sh" \
	"${mods[@]}" --append " kunit_modules=$(IFS=,; echo "${names[*]}")" \
	--log "$LOGS/run.log"
rc=$?
python3 "$ROOT/scripts/ktap.py" "$LOGS/run.log" --require slub_test.test_kfree_rcu || rc=1
echo
sed -n '/=== slab summary/,/=== GUEST-DONE/p' "$LOGS/run.log" |
	sed 's/^\[host [^]]*\] //' | grep -v '^=== GUEST-DONE'
echo "wall time: $(( $(date +%s) - START )) s (console log: ${LOGS#$ROOT/}/run.log)"
exit $rc
