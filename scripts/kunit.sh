#!/bin/bash
# kunit.sh: run the slab-relevant KUnit suites and self-tests as modules
# inside a QEMU guest booted from a debug build, and judge the result.
#
#   scripts/kunit.sh [--build DIR] [--part suites|meminit|all|rt|lean] [--smp N]
#                    [--logdir DIR] [--timeout S]
#
# suites:  local_lock (when the tree has it), slub_test, kfence in one
#          boot, kasan in a second one with kfence.sample_interval=0;
#          slub_test is a module so that test_kfree_rcu runs (it must pass,
#          not skip).  Lockdep, RCU-lockdep and atomic-sleep
#          reports fail the run (KASAN/KFENCE reports are what those suites
#          provoke on purpose, so they are not scanned for here).  Then
#          slub_sheaves (when the tree has it) in a guest with 3 NUMA
#          nodes (node 2 without memory, one vCPU each), console scanned
#          for every kind of splat (tests declare the warnings they
#          provoke: see scan-log.sh).
# meminit: lib/test_meminit.c with init_on_alloc=1 init_on_free=1 (what it
#          needs), console scanned for every kind of splat.
# rt:      on a PREEMPT_RT build (--build; no KASAN): local_lock and
#          slub_sheaves with 3 NUMA nodes as above, console scanned for
#          every kind of splat; then slub_test and slub_sheaves with
#          slab_debug=FZPU slab_nomerge (every cache a debug cache, so none
#          has sheaves), lockdep scan as for suites.
# lean:    on the lean uniprocessor build (--build; configs/lean.config:
#          !SMP, no NUMA, no MEMCG so no SLAB_OBJ_EXT, no SLUB_DEBUG, no
#          SYSFS, random kmalloc caches, no KASAN): local_lock, slub_sheaves
#          and the maple tree and XArray self-tests ("N of N tests passed")
#          on one vCPU, every kind of splat scanned for.
# Exit: 0 all passed, 1 a test failed or a splat was logged, 2 usage,
# 4 boot failed or timed out.
. "$(dirname "$0")/lib.sh"

BUILD=$OUT/build-debug
PART=all
SMP=2
LOGDIR=$LOGS
TIMEOUT=1500
while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=$2; shift 2 ;;
	--part) PART=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--logdir) LOGDIR=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "kunit.sh: unknown argument '$1'" ;;
	esac
done
check_choice part "$PART" suites meminit all rt lean
[ "$SMP" -ge 2 ] 2>/dev/null || die $E_USAGE "--smp must be at least 2"
[ -f "$BUILD/arch/x86/boot/bzImage" ] || die $E_USAGE "no kernel in $BUILD (make build)"
mkdir -p "$LOGDIR"

ko() { # ko NAME: path of a module in the build, or empty
	find "$BUILD" -name "$1.ko" -print -quit
}
rc=0
# Suites the queue adds: skipped on trees that do not have them yet.
declare -A QUEUE_SUITE=([local_lock_kunit]=LOCAL_LOCK_KUNIT_TEST
	[slub_sheaves_kunit]=SLUB_SHEAVES_KUNIT_TEST)
# suites_boot NAME APPEND NUMA SCAN PAIR...: one boot (NUMA nodes, 0 for
# none; N:M for N nodes of which node M has no memory, one vCPU per node at
# least) that loads the given module:suite pairs; parse the KTAP, scan the
# console (scan-log.sh mode SCAN).  A pair with an empty suite ("module:")
# is a self-test module: see selftest_passed.
suites_boot() {
	local name=$1 append=$2 numa=$3 scan=$4 pair m s p log b memless=() smp=$SMP
	shift 4
	if [[ $numa == *:* ]]; then
		memless=(--memless "${numa#*:}")
		numa=${numa%%:*}
		[ "$smp" -ge "$numa" ] || smp=$numa
	fi
	local mods=() names=() suites=()
	for pair in "$@"; do
		m=${pair%%:*} s=${pair#*:}
		p=$(ko "$m")
		if [ -z "$p" ]; then
			if [ -n "${QUEUE_SUITE[$m]:-}" ] &&
			   ! grep -q "CONFIG_${QUEUE_SUITE[$m]}[= ]" "$BUILD/.config"; then
				continue
			fi
			err "module $m.ko not built in $BUILD"
			rc=$E_FAIL
			continue
		fi
		mods+=(--module "$p") names+=("$m")
		[ -z "$s" ] || suites+=("$s")
	done
	log=$LOGDIR/kunit-$name.log
	[ ${#mods[@]} -gt 0 ] || return 0
	local nodes=
	[ "$numa" = 0 ] || nodes=", $numa NUMA nodes"
	[ ${#memless[@]} = 0 ] || nodes="$nodes (node ${memless[1]} without memory)"
	say KUNIT "${suites[*]} (modules, $smp vCPUs$nodes${append:+,$append})"
	"$ROOT/scripts/boot.sh" --build "$BUILD" --smp "$smp" --numa "$numa" "${memless[@]}" \
		--job "$ROOT/guest/kunit.sh" \
		"${mods[@]}" --append "$append kunit_modules=$(IFS=,; echo "${names[*]}")" \
		--log "$log" --timeout "$TIMEOUT"
	b=$?
	[ $b = 4 ] && rc=$E_BOOT
	local req=()
	[[ " ${suites[*]} " == *" slub_test "* ]] && req=(--require slub_test.test_kfree_rcu)
	[ ${#suites[@]} = 0 ] ||
		python3 "$ROOT/scripts/ktap.py" "$log" --suites "$(IFS=,; echo "${suites[*]}")" \
			"${req[@]}" --json "$LOGDIR/kunit-$name.json" --report "$LOGDIR/kunit-$name.report" ||
		{ [ $rc = 0 ] && rc=$E_FAIL; }
	"$ROOT/scripts/scan-log.sh" "$log" "$scan" || { [ $rc = 0 ] && rc=$E_FAIL; }
}
# selftest_passed LOG WHAT: the last "WHAT: X of Y tests passed" line of a
# self-test module (test_xarray, test_maple_tree) is there and X = Y.
selftest_passed() {
	local line
	line=$(grep -aE "$2: [0-9]+ of [0-9]+ tests passed" "$1" | tail -1)
	if [ -z "$line" ]; then
		err "kunit.sh: no \"$2: N of N tests passed\" line in $1"
		return 1
	fi
	if ! [[ $line =~ ([0-9]+)\ of\ ([0-9]+)\ tests ]] ||
	   [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]; then
		err "kunit.sh: $2 failed: ${line##*] }"
		return 1
	fi
	say SELFTEST "${line##*] }"
}
if [ "$PART" = lean ]; then
	# One vCPU: the kernel is uniprocessor.
	SMP=1 suites_boot lean "" 0 full local_lock_kunit:local_lock slub_sheaves_kunit:slub_sheaves \
		test_maple_tree: test_xarray:
	selftest_passed "$LOGDIR/kunit-lean.log" maple_tree || rc=$E_FAIL
	selftest_passed "$LOGDIR/kunit-lean.log" XArray || rc=$E_FAIL
	exit $rc
fi
if [ "$PART" = rt ]; then
	suites_boot rt "" 3:2 full local_lock_kunit:local_lock slub_sheaves_kunit:slub_sheaves
	suites_boot rt-debug " slab_debug=FZPU slab_nomerge" 0 lockdep \
		slub_kunit:slub_test slub_sheaves_kunit:slub_sheaves
	exit $rc
fi
if [ "$PART" != meminit ]; then
	suites_boot suites "" 0 lockdep local_lock_kunit:local_lock slub_kunit:slub_test \
		kfence_test:kfence
	# KFENCE would now and then take one of the kasan suite's allocations,
	# and then KASAN sees nothing wrong with a use-after-free of it: run
	# the kasan suite with KFENCE sampling off.
	suites_boot kasan " kfence.sample_interval=0" 0 lockdep kasan_test:kasan
	# Node-bound allocations and remote-node frees need a second node with
	# memory; CPUs of a node without memory (x86 has them) a third one.
	suites_boot sheaves "" 3:2 full slub_sheaves_kunit:slub_sheaves
fi
if [ "$PART" != suites ]; then
	p=$(ko test_meminit)
	[ -n "$p" ] || die $E_FAIL "module test_meminit.ko not built in $BUILD"
	log=$LOGDIR/kunit-meminit.log
	say KUNIT "test_meminit (init_on_alloc=1 init_on_free=1)"
	"$ROOT/scripts/boot.sh" --build "$BUILD" --smp "$SMP" --job "$ROOT/guest/kunit.sh" \
		--module "$p" --append " init_on_alloc=1 init_on_free=1 kunit_modules=test_meminit" \
		--log "$log" --timeout "$TIMEOUT"
	b=$?
	[ $b = 4 ] && rc=$E_BOOT
	python3 "$ROOT/scripts/ktap.py" "$log" --meminit || { [ $rc = 0 ] && rc=$E_FAIL; }
	"$ROOT/scripts/scan-log.sh" "$log" full || { [ $rc = 0 ] && rc=$E_FAIL; }
fi
exit $rc
