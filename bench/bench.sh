#!/bin/bash
# bench.sh: baseline 6.12 against the patched queue, measured in one run.
#
#   bench/bench.sh [--backend qemu|uml|icount|lockstat|rcuscale] [--mode ab|aa|baseline|tune]
#                    [--tune SETTINGS] [--boots N]
#                    [--cases LIST] [--reps N] [--scale N] [--smp N]
#                    [--no-workloads] [--timeout S] [--out DIR] [--aa DIR]
#
# Builds the baseline (base, empty series) and the patched kernel (the
# queue in out/linux) with the same configuration (configs/bench.config),
# builds the out-of-tree benchmark module bench/slab_bench.c against each,
# and boots them alternately, A B A B ..., --boots times each (default 3).
# Every boot runs the module (the micro-benchmarks) and the guest workloads
# (hackbench, fork, exec, mmap loops, Slab/SUnreclaim).  Results are
# collected as JSON and reported by bench/bench-report.py: per case the
# baseline and patched medians, their ratio, the min-max spread, and a mark
# where the spreads do not overlap; plus a PNG chart.
#
# Modes: ab (baseline vs patched), aa (baseline against itself: shows the
# noise of each case), baseline (baseline only), tune (the patched kernel
# against itself with the sysfs SETTINGS of --tune written in the B boots
# before the module and the workloads run: what a runtime tunable changes).
# SETTINGS: a comma list of CACHE/FILE=VALUE, FILE a file of
# /sys/kernel/slab/CACHE/ and VALUE a number, e.g.
# --tune kmalloc-64/sheaf_capacity=4,kmalloc-64/max_full_sheaves=0.  CACHE
# "*" is every cache with sheaves: --tune '*/max_full_sheaves=0'.
# A setting that the guest's kernel refuses fails the boot.
# Backend qemu: x86_64 guest with --smp vCPUs (default 2).  Under TCG (no
# working KVM) the timings are emulated and not comparable to hardware; the
# report says so.  Backend uml: User-Mode Linux (ARCH=um) runs natively as a
# host process on one CPU: the best timing on machines without KVM, but UML
# emulates interrupt disabling and uses generic per-CPU operations, so its
# ratios are not bare-metal ratios either; SMP cases are skipped there.  With
# host perf available, each UML boot also records instructions and cycles.
# Backend icount: the qemu guest under QEMU's -icount shift=0,sleep=off, where
# guest time counts executed instructions: deterministic for the in-kernel
# micro-benchmarks and the workloads (a boot of an image gives the same
# counts every time; boot N pads its command line so that the boots sample
# where the ticks fall: see the boot below), reported as
# instructions, never as time (cache misses and the cost of atomics do not
# show).  One vCPU unless --smp is given (icount runs TCG single-threaded).
# Backend lockstat: both kernels with CONFIG_LOCK_STAT (configs/lockstat.config
# on top of the bench fragment); the qemu guest runs each case once and
# reports the acquisitions of the node list_lock and the barn lock per 1000
# operations (acq/kop), per run of hackbench and per 1000 forks: the locking
# that a 2-vCPU guest cannot show as time.  Counts only (lockdep makes
# locking slow); one vCPU unless --smp is given; --scale defaults to 5.
# Backend rcuscale: both kernels with CONFIG_RCU_SCALE_TEST=m
# (configs/rcuscale.config on top of the icount fragments; it needs
# DEBUG_KERNEL, which the others leave off), booted under icount; instead of
# the module and the workloads each boot runs rcuscale's kfree_rcu() test
# (kfree_rcu_test=1, one kthread per vCPU, 8000 objects of 24 bytes per
# loop, --scale loops, default 40) and reports its time (instructions),
# the grace periods that passed and its memory footprint line (MB).
# --reps and --scale default to 5 and 20 (icount: 25 and 4; uml: 5 and 100).
# --aa DIR: an earlier A/A run of the same backend (its results directory):
# the report sets its ratios beside each case and says, per ratio, whether
# the B/A ratio lies beyond the A/A noise ("shown") or not ("not shown").
# Exit: 0 ok, 1 a boot failed or a case was missing (the others are
# reported), 2 usage, 3 build failed.
. "$(dirname "$0")/../lib/lib.sh"

BACKEND=qemu
MODE=ab
TUNE=
BOOTS=3
CASES=all
REPS=
SCALE=
SMP=
WORKLOADS=1
TIMEOUT=1200
RESULTS=
AA=
while [ $# -gt 0 ]; do
	case $1 in
	--backend) BACKEND=$2; shift 2 ;;
	--mode) MODE=$2; shift 2 ;;
	--tune) TUNE=$2; shift 2 ;;
	--boots) BOOTS=$2; shift 2 ;;
	--cases) CASES=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--scale) SCALE=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--no-workloads) WORKLOADS=0; shift ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--out) RESULTS=$2; shift 2 ;;
	--aa) AA=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "bench.sh: unknown argument '$1'" ;;
	esac
done
check_choice backend "$BACKEND" qemu uml icount lockstat rcuscale
[ -z "$AA" ] || [ "$MODE" = ab ] || [ "$MODE" = tune ] ||
	die $E_USAGE "bench.sh: --aa is for --mode ab and tune (the report of a run that compares two kernels)"
[ -z "$AA" ] || [ -f "$AA/summary.json" ] ||
	die $E_USAGE "bench.sh: --aa $AA: no summary.json there (the results directory of a --mode aa run)"
# UML runs natively: more work per repetition for steadier numbers.  Lock
# counts per operation need few operations, and lockdep is slow.
# Under icount a repetition of --scale 20 spans about one timer tick (HZ
# 250: 4M instructions), so the best of 5 still held a tick's work, which
# differs between boots (0.1-0.3% A/A spread); 25 repetitions of a fifth of
# that work give the best repetition a good chance to hold none.
if [ -z "$SCALE" ]; then
	case $BACKEND in uml) SCALE=100 ;; lockstat) SCALE=5 ;; icount) SCALE=4 ;; rcuscale) SCALE=40 ;; *) SCALE=20 ;; esac
fi
[ -n "$REPS" ] || case $BACKEND in icount) REPS=25 ;; *) REPS=5 ;; esac
check_choice mode "$MODE" ab aa baseline tune
if [ "$MODE" = tune ]; then
	[ -n "$TUNE" ] || die $E_USAGE "bench.sh: --mode tune needs --tune SETTINGS"
	[[ $TUNE =~ ^([A-Za-z0-9_.:-]+|\*)/[a-z_]+=[0-9]+(,([A-Za-z0-9_.:-]+|\*)/[a-z_]+=[0-9]+)*$ ]] ||
		die $E_USAGE "bench.sh: --tune wants CACHE/FILE=NUMBER[,...], got '$TUNE'"
elif [ -n "$TUNE" ]; then
	die $E_USAGE "bench.sh: --tune is for --mode tune"
fi
[ -n "$SMP" ] || case $BACKEND in icount | lockstat | rcuscale) SMP=1 ;; *) SMP=2 ;; esac
for v in BOOTS REPS SCALE SMP TIMEOUT; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die $E_USAGE "--${v,,} wants a positive number, got '${!v}'"
done
[ "$REPS" -le 31 ] || die $E_USAGE "--reps is at most 31"

# The case names, from bench/cases (the module rejects unknown ones too,
# but only after two kernels were built).
known_cases() {
	awk '!/^#/ && NF { print $1 }' "$ROOT/bench/cases"
}
if [ "$CASES" != all ]; then
	for c in ${CASES//,/ }; do
		# Not "known_cases | grep -q": under pipefail grep's early exit
		# can kill the writer with SIGPIPE and fail the pipe.
		grep -qx -- "$c" <<<"$(known_cases)" ||
			die $E_USAGE "unknown case '$c' (known: $(known_cases | tr '\n' ' '))"
	done
fi

need_pkgs "${TOOL_PKGS[@]}" gnuplot-nox
if [ "$BACKEND" = uml ]; then
	[ "$SMP" != 2 ] && info "note: UML is uniprocessor; --smp is ignored"
	SMP=1 # what the report says the guest had
fi
START=$(date +%s)
stamp=$(date +%Y%m%d-%H%M%S)
RESULTS=${RESULTS:-$OUT/results/bench-$MODE-$stamp}
mkdir -p "$RESULTS"
B=$OUT/bench
mkdir -p "$B"

# --- trees and kernels ----------------------------------------------------------
[ -d "$TREE_DIR/.git" ] || "$ROOT/queue/src.sh" || exit $?
BASE_TREE=$(baseline_tree) || exit $?
if [ -n "$(git -C "$TREE_DIR" status --porcelain)" ]; then
	info "note: out/linux has uncommitted changes; they are measured too"
fi
PATCHED_DESC="$(git -C "$TREE_DIR" rev-list --count base..HEAD) patches ($(git -C "$TREE_DIR" log -1 --format=%s HEAD))"

if [ "$BACKEND" = uml ]; then
	KCONFIG=uml KTARGETS="linux modules" ARCHV=(ARCH=um SUBARCH=x86_64)
elif [ "$BACKEND" = lockstat ]; then
	KCONFIG=lockstat KTARGETS="bzImage modules" ARCHV=()
elif [ "$BACKEND" = rcuscale ]; then
	KCONFIG=rcuscale KTARGETS="bzImage modules" ARCHV=()
elif [ "$BACKEND" = icount ]; then
	# configs/icount.config: no freelist randomisation (see there)
	KCONFIG=icount KTARGETS="bzImage modules" ARCHV=()
else
	KCONFIG=bench KTARGETS="bzImage modules" ARCHV=()
fi
# The lock counts run the module once per case: the guest needs the names.
LOCKSTAT_CASES=$CASES
[ "$BACKEND" = lockstat ] && [ "$CASES" = all ] && LOCKSTAT_CASES=$(known_cases | paste -sd, -)
build_kernel() { # build_kernel NAME TREE
	local name=$1 tree=$2 bd=$B/build-$KCONFIG-$1 md=$B/mod-$KCONFIG-$1
	say STEP "building $name kernel ($KCONFIG config)"
	"$ROOT/build/build.sh" --tree "$tree" --config "$KCONFIG" --out "$bd" \
		--targets "$KTARGETS" --log "$LOGS/bench-build-$KCONFIG-$name.log" || exit $E_BUILD
	rm -rf "$md"
	mkdir -p "$md"
	cp "${BENCH_MODULE_FILES[@]/#/$ROOT/bench/}" "$md/"
	make -C "$tree" O="$bd" "${ARCHV[@]}" M="$md" modules >"$LOGS/bench-mod-$name.log" 2>&1 ||
		die $E_BUILD "benchmark module does not build against $name (log: $LOGS/bench-mod-$name.log)"
}
[ "$MODE" = tune ] || build_kernel base "$BASE_TREE"
if [ "$MODE" = ab ] || [ "$MODE" = tune ]; then
	build_kernel patched "$TREE_DIR"
fi
gcc -static -O2 -o "$B/loops" "$ROOT/bench/loops.c" || die $E_BUILD "cannot build bench/loops.c"

# Host perf counts a UML boot's instructions and cycles, but only where the
# host has hardware counters: in a VM without a virtual PMU perf stat runs
# and prints "<not supported>" instead of a count.
PERF='' PERF_NOTE=''
if [ "$BACKEND" = uml ]; then
	PERF_NOTE="no host perf"
	# shellcheck disable=SC2012 # perf_VERSION names, newest first (no match: none)
	for p in perf $(ls /usr/bin/perf_* 2>/dev/null | sort -rV); do
		out=$("$p" stat -e instructions -x, true 2>&1 >/dev/null) || continue
		if [[ $out =~ ^[0-9]+,,instructions ]]; then
			PERF=$p PERF_NOTE="perf: $p"
			break
		fi
		PERF_NOTE="host perf has no hardware counters"
	done
	info "uml: $PERF_NOTE"
fi

# --- boots ------------------------------------------------------------------------
case $MODE in
ab) A=base; Bk=patched; LA=baseline; LB=patched ;;
aa) A=base; Bk=base; LA=baseline-A; LB=baseline-B ;;
baseline) A=base; Bk=; LA=baseline; LB= ;;
tune) A=patched; Bk=patched; LA=patched; LB=patched-tuned ;;
esac
failed=0
boot_one() { # boot_one LABEL KERNEL N
	local label=$1 k=$2 n=$3 log rc args=()
	log=$RESULTS/boot-$label-$n.log
	args=("bench_cases=$CASES" "bench_reps=$REPS" "bench_scale=$SCALE" "bench_workloads=$WORKLOADS")
	[ "$BACKEND" = lockstat ] &&
		args=("bench_cases=$LOCKSTAT_CASES" "bench_scale=$SCALE" "bench_workloads=$WORKLOADS" bench_lockstat=1)
	[ "$BACKEND" = rcuscale ] && args=(bench_rcuscale=1 "rcuscale_loops=$SCALE")
	# UML system calls are slow (each one goes through the host's ptrace):
	# shorter workloads, same shape.
	[ "$BACKEND" = uml ] && args+=(hb_loops=40 loops_n=100)
	[ "$label" = patched-tuned ] && args+=("bench_tune=$TUNE")
	say STEP "boot $n/$BOOTS: $label ($BACKEND)"
	# One interface for both backends: boot.sh runs the job and judges the
	# console (a splat fails the boot; its results are kept).
	local be pad accel=auto
	if [ "$BACKEND" = uml ]; then
		be=(--backend uml --smp 1 --mem 1G --kernel "$B/build-$KCONFIG-$k/linux")
		[ -z "$PERF" ] || be+=(--perf "$PERF:$RESULTS/perf-$label-$n.csv")
	else
		case $BACKEND in icount | rcuscale) accel=icount ;; esac
		be=(--backend qemu --smp "$SMP" --mem 2G --accel "$accel" --build "$B/build-$KCONFIG-$k")
		# Instruction counts are only as repeatable as the guest's run
		# (README, BACKEND=icount, says why each of these is needed):
		# the seed fixes the guest's RDRAND, "norandmaps" its user
		# address spaces, the sysctl the page allocator's per-CPU list
		# size (no autotuning on a timer); with configs/icount.config and
		# boot/mkinitramfs.sh's fixed archive, a boot of an image counts
		# the same every time.  Where the ticks fall still moves with a
		# few instructions early in the boot, and an A/B compares two
		# images: boot N pads its command line with N x 8 characters (the
		# same in both kernels), so that the boots sample that noise.
		case $BACKEND in icount | rcuscale) be+=(--seed "$n") ;; esac
		if [ "$BACKEND" = icount ]; then
			pad=$(printf '%*s' $((n * 8)) '')
			args+=(norandmaps sysctl.vm.percpu_pagelist_high_fraction=8 "bench_pad=${pad// /x}")
		fi
		[ "$BACKEND" = rcuscale ] &&
			be+=(--module "$B/build-$KCONFIG-$k/kernel/torture.ko"
				--module "$B/build-$KCONFIG-$k/kernel/rcu/rcuscale.ko")
	fi
	"$ROOT/boot/boot.sh" "${be[@]}" \
		--job "$ROOT/boot/guest/bench.sh" --module "$B/mod-$KCONFIG-$k/slab_bench.ko" \
		--file "$B/loops:/bin/loops" --log "$log" --timeout "$TIMEOUT" \
		--append " ${args[*]}" >"$RESULTS/boot-$label-$n.out" 2>&1
	rc=$?
	if [ "$BACKEND" = uml ]; then
		echo "uml (native, 1 CPU; $PERF_NOTE)" >"$RESULTS/accel.txt"
	else
		grep -m1 'BOOT ' "$RESULTS/boot-$label-$n.out" | sed 's/^ *BOOT *//' >"$RESULTS/accel.txt"
	fi
	if [ $rc != 0 ]; then
		failed=1
		case $rc in
		4) err "bench.sh: boot $label-$n failed or timed out (log: $log); other results kept" ;;
		*) err "bench.sh: boot $label-$n: $(grep -m1 'VERDICT' "$RESULTS/boot-$label-$n.out" |
			sed 's/^ *VERDICT *//') (log: $log); other results kept" ;;
		esac
	fi
}
for ((i = 1; i <= BOOTS; i++)); do
	boot_one "$LA" "$A" "$i"
	[ -n "$Bk" ] && boot_one "$LB" "$Bk" "$i"
done

# --- report -------------------------------------------------------------------------
# Strings (commit subjects, CPU names) may hold quotes: json.dumps quotes them.
ACCEL_TXT=$(cat "$RESULTS/accel.txt" 2>/dev/null) \
HOST_TXT="$(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
BACKEND=$BACKEND MODE=$MODE BOOTS=$BOOTS REPS=$REPS SCALE=$SCALE SMP=$SMP LA=$LA LB=$LB \
PATCHED_DESC=$PATCHED_DESC TUNE=$TUNE python3 - "$RESULTS/meta.json" <<'PY' || die $E_FAIL "cannot write meta.json"
import json, os, sys
e = os.environ
meta = {'backend': e['BACKEND'], 'accel': e['ACCEL_TXT'], 'mode': e['MODE'],
        'boots': int(e['BOOTS']), 'reps': int(e['REPS']), 'scale': int(e['SCALE']),
        'smp': int(e['SMP']), 'a': e['LA'], 'b': e['LB'], 'patched': e['PATCHED_DESC'],
        'host': e['HOST_TXT'], 'tune': e['TUNE']}
with open(sys.argv[1], 'w') as f:
    json.dump(meta, f)
PY
python3 "$ROOT/bench/bench-report.py" "$RESULTS" ${AA:+--aa "$AA"} || failed=1
echo "wall time: $(( $(date +%s) - START )) s; results in ${RESULTS#"$ROOT"/}"
[ $failed = 0 ] || exit $E_FAIL
