#!/bin/bash
# kunit.sh: run the slab-relevant KUnit suites and self-tests as modules
# inside a QEMU guest booted from a debug build, and judge the result.
#
#   gates/kunit.sh [--build DIR] [--part suites|meminit|all|rt|lean|cx16|arm64] [--smp N]
#                    [--logdir DIR] [--timeout S] [--accel auto|kvm|tcg]
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
#          provoke: see scan-log.sh); its kmalloc_nolock() memcg and
#          CPU-offline cases must run and pass (also on rt).
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
# cx16:    on the debug build, under -cpu max,-cx16 (no cmpxchg16b, so every
#          cache updates a slab's freelist and counters under slab_lock()):
#          slub_test and slub_sheaves with 3 NUMA nodes, lockdep scan as
#          for suites; the remote free race case must say that it ran on
#          the slab_lock() fallback.
# arm64:   on the arm64 build (--build; configs/arm64boot.config: SMP,
#          NUMA, SLUB_DEBUG, no KASAN) in qemu-system-aarch64's virt
#          machine under TCG: local_lock, slub_test and slub_sheaves with
#          3 NUMA nodes, node 2 without memory, one vCPU each (arm64's
#          per-CPU operations and 128-bit cmpxchg), every kind of splat
#          scanned for; the kmalloc_nolock() memcg, CPU offline and kprobe
#          cases and the memoryless-node case must run and pass.
# Exit: 0 all passed, 1 a test failed or a splat was logged, 2 usage,
# 4 boot failed or timed out.
. "$(dirname "$0")/../lib/lib.sh"

BUILD=$OUT/build-debug
PART=all
SMP=2
LOGDIR=$LOGS
TIMEOUT=1500
ACCEL=auto
# QEMU CPU features of a boot (suites_boot), set for the cx16 part only;
# not taken from the environment.
CPU_FLAGS=
while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=$2; shift 2 ;;
	--part) PART=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--accel) ACCEL=$2; shift 2 ;;
	--logdir) LOGDIR=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "kunit.sh: unknown argument '$1'" ;;
	esac
done
check_choice part "$PART" suites meminit all rt lean cx16 arm64
check_choice accel "$ACCEL" auto kvm tcg
[ "$SMP" -ge 2 ] 2>/dev/null || die $E_USAGE "--smp must be at least 2"
if [ "$PART" = arm64 ]; then
	[ -f "$BUILD/arch/arm64/boot/Image" ] ||
		die $E_USAGE "kunit.sh: no arm64 kernel in $BUILD (build/build.sh --config arm64boot)"
else
	[ -f "$BUILD/arch/x86/boot/bzImage" ] || die $E_USAGE "kunit.sh: no kernel in $BUILD (make build)"
fi
mkdir -p "$LOGDIR"

ko() { # ko NAME: path of a module in the build, or empty
	find -H "$BUILD" -name "$1.ko" -print -quit
}
rc=0
# Suites the queue adds: skipped on trees that do not have them yet.
declare -A QUEUE_SUITE=([local_lock_kunit]=LOCAL_LOCK_KUNIT_TEST
	[slub_sheaves_kunit]=SLUB_SHEAVES_KUNIT_TEST)
# suites_boot NAME APPEND NUMA SCAN ITEM...: one judged boot (boot.sh:
# console scan of mode SCAN, KTAP and self-test results) with NUMA nodes (0
# for none; N:M for N nodes of which node M has no memory, one vCPU per
# node at least) that loads the given modules.  ITEM is module:suite for a
# KUnit module, module=WHAT for a self-test module that prints "WHAT: N of
# N tests passed", or a bare module name: test_meminit (its "all N tests
# passed" line is judged) or a module judged by the scan only.
suites_boot() {
	local name=$1 append=$2 numa=$3 scan=$4 item m p b memless=() smp=$SMP
	shift 4
	if [[ $numa == *:* ]]; then
		memless=(--memless "${numa#*:}")
		numa=${numa%%:*}
		[ "$smp" -ge "$numa" ] || smp=$numa
	fi
	local mods=() names=() suites=() judge=()
	for item in "$@"; do
		m=${item%%[:=]*}
		p=$(ko "$m")
		if [ -z "$p" ]; then
			if [ -n "${QUEUE_SUITE[$m]:-}" ] &&
			   ! grep -q "CONFIG_${QUEUE_SUITE[$m]}[= ]" "$BUILD/.config"; then
				continue
			fi
			err "kunit.sh: module $m.ko not built in $BUILD"
			rc=$E_FAIL
			continue
		fi
		mods+=(--module "$p") names+=("$m")
		case $item in
		*:*) suites+=("${item#*:}") ;;
		*=*) judge+=(--selftest "${item#*=}") ;;
		test_meminit) judge+=(--meminit) ;;
		esac
	done
	[ ${#mods[@]} -gt 0 ] || return 0
	[ ${#suites[@]} = 0 ] || judge+=(--suites "$(IFS=,; echo "${suites[*]}")")
	[[ " ${suites[*]} " == *" slub_test "* ]] && judge+=(--require slub_test.test_kfree_rcu)
	for item in ${REQUIRE:-}; do judge+=(--require "$item"); done
	local nodes=
	[ "$numa" = 0 ] || nodes=", $numa NUMA nodes"
	[ ${#memless[@]} = 0 ] || nodes="$nodes (node ${memless[1]} without memory)"
	say KUNIT "${suites[*]:-${names[*]}} (modules, $smp vCPUs$nodes${append:+,$append})"
	"$ROOT/boot/boot.sh" --build "$BUILD" --smp "$smp" --numa "$numa" "${memless[@]}" --accel "$ACCEL" \
		${CPU_FLAGS:+--cpu-flags "$CPU_FLAGS"} --job "$ROOT/boot/guest/kunit.sh" \
		"${mods[@]}" --append "$append kunit_modules=$(IFS=,; echo "${names[*]}")" \
		--log "$LOGDIR/kunit-$name.log" --timeout "$TIMEOUT" --scan "$scan" "${judge[@]}"
	b=$?
	[ $b = 0 ] || [ $rc = $E_BOOT ] || rc=$b
}
if [ "$PART" = lean ]; then
	# One vCPU: the kernel is uniprocessor.
	SMP=1 suites_boot lean "" 0 full local_lock_kunit:local_lock slub_sheaves_kunit:slub_sheaves \
		test_maple_tree=maple_tree test_xarray=XArray
	exit $rc
fi
if [ "$PART" = cx16 ]; then
	# No cmpxchg16b: every cache updates slab freelists under slab_lock().
	CPU_FLAGS=-cx16 suites_boot cx16 "" 3:2 lockdep slub_kunit:slub_test \
		slub_sheaves_kunit:slub_sheaves
	# The remote free race says which update its frees raced on.
	if [ -n "$(ko slub_sheaves_kunit)" ] &&
	   ! grep -q 'sheaves_kunit_race_nosheaves: .*slab_lock()' "$LOGDIR/kunit-cx16.log"; then
		err "kunit.sh: the remote free race did not run on the slab_lock() fallback (log: $LOGDIR/kunit-cx16.log)"
		[ $rc != 0 ] || rc=$E_FAIL
	fi
	exit $rc
fi
# The kmalloc_nolock() cases that must run where the boot allows them: a
# real memcg (boot/guest/kunit.sh loads the modules from one), a CPU to take
# offline and a second node with memory.
NOLOCK_REQUIRED="slub_sheaves.sheaves_nolock_memcg slub_sheaves.sheaves_nolock_cpu_offline"
if [ "$PART" = arm64 ]; then
	# No KVM for an arm64 guest on this host: always TCG.
	[ "$ACCEL" != kvm ] || info "kunit.sh: arm64 guests run under TCG, not KVM"
	ACCEL=tcg
	REQUIRE="$NOLOCK_REQUIRED slub_sheaves.sheaves_nolock_kprobe slub_sheaves.sheaves_memoryless_node
		slub_sheaves.sheaves_nolock_deferred slub_sheaves.sheaves_nolock_kfree_rcu" \
		suites_boot arm64 "" 3:2 full \
		local_lock_kunit:local_lock slub_kunit:slub_test slub_sheaves_kunit:slub_sheaves
	exit $rc
fi
if [ "$PART" = rt ]; then
	REQUIRE=$NOLOCK_REQUIRED suites_boot rt "" 3:2 full local_lock_kunit:local_lock \
		slub_sheaves_kunit:slub_sheaves
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
	REQUIRE=$NOLOCK_REQUIRED suites_boot sheaves "" 3:2 full slub_sheaves_kunit:slub_sheaves
fi
if [ "$PART" != suites ]; then
	[ -n "$(ko test_meminit)" ] || die $E_FAIL "kunit.sh: module test_meminit.ko not built in $BUILD"
	suites_boot meminit " init_on_alloc=1 init_on_free=1" 0 full test_meminit
fi
exit $rc
