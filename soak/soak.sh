#!/bin/bash
# soak.sh: the slab stress driver (soak/slab_soak.c) and a userspace load in
# a QEMU guest, under CPU hotplug, memory hot-add/remove through the QEMU
# monitor, failslab and fail_page_alloc, and memory pressure (boot/guest/soak.sh);
# per shape of soak/shapes.
#
#   soak/soak.sh [--shapes NAME[,NAME...]] [--secs N] [--tree DIR]
#                   [--build CONFIG=DIR]... [--logdir DIR] [--no-build]
#                   [--accel auto|tcg|kvm]
#   soak/soak.sh --latency [--boots N] [--secs N] [--accel icount|tcg|kvm]
#
# --shapes: default every shape of soak/shapes.  --secs: the soak time of
# each shape, 300 (default), 300s or 5m.  --tree: the kernel tree (default out/linux).
# Each shape's CONFIG is built with build/build.sh into out/build-CONFIG,
# unless --build CONFIG=DIR names a build directory to use as it is
# (--no-build: every configuration must be given so).  The module is built
# against each build directory.  A shape passes when the guest's checks pass
# (the module's own stamp, node and prefill checks and allocated == freed;
# the soak caches empty after the stop; Slab within 10% of its value before
# the run; no hot-added memory left; kmemleak still on and silent; no OOM
# kill) and the console has no splat (boot/scan-log.sh full).  Prints a
# table of what each shape did.
#
# --latency: the longest section with interrupts or preemption off (the
# preemptirqsoff tracer's tracing_max_latency) under the soak load, baseline
# 6.12 against the queue, for the latency configuration (PREEMPT) and the
# rtlatency one (PREEMPT_RT), both without lock debugging: four kernels (in
# out/soak/), booted alternately A B A B, --boots times each (default 3),
# 1 vCPU under icount (2 otherwise), --secs of load (default 60), no CPU or
# memory hotplug, no pressure and no fault injection (stop_machine() and
# memory offlining would be the longest sections); the guest's Slab bound
# is printed, not judged (soak_slab_bound=0: with ~3.4 MB of Slab and no
# faults 6.12 itself ends 13.7% above its first reading).  The other checks
# and the console scan hold.  Default --accel icount: guest time counts
# executed instructions, so the figures are instructions (shown as
# "kinstr"), free of host noise but not of run-to-run variation.  One vCPU
# because icount runs the vCPUs in turn in one thread and advances guest time
# with every vCPU's instructions: with two, an irq-off section of one vCPU
# counts the other's whole time slice (seen: 50920 and 116008 kinstr against
# 990 and 843 with one vCPU).  The report
# gives every boot's figure and calls a difference shown only when the two
# kernels' ranges do not overlap.
# Exit: 0 every shape passed, 1 a shape failed, 2 usage, 3 build failed,
# 4 boot failed or timed out.
. "$(dirname "$0")/../lib/lib.sh"

SHAPES_FILE=$ROOT/soak/shapes
SHAPES=
SECS=300
LOGDIR=$LOGS
NO_BUILD=
LATENCY=
BOOTS=3
ACCEL_L=
SECS_SET=
declare -A BUILDS=()
while [ $# -gt 0 ]; do
	case $1 in
	--shapes) SHAPES=$2; shift 2 ;;
	--secs) SECS=$2; SECS_SET=1; shift 2 ;;
	--latency) LATENCY=1; shift ;;
	--boots) BOOTS=$2; shift 2 ;;
	--accel) ACCEL_L=$2; shift 2 ;;
	--tree) TREE_DIR=$2; shift 2 ;;
	--build)
		[[ $2 == ?*=?* ]] || die $E_USAGE "soak.sh: --build wants CONFIG=DIR, got '$2'"
		BUILDS[${2%%=*}]=${2#*=}; shift 2 ;;
	--logdir) LOGDIR=$2; shift 2 ;;
	--no-build) NO_BUILD=1; shift ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "soak.sh: unknown argument '$1'" ;;
	esac
done
[ -n "$LATENCY" ] && [ -z "$SECS_SET" ] && SECS=60
[[ $BOOTS =~ ^[1-9][0-9]*$ ]] || die $E_USAGE "soak.sh: --boots wants a positive number, got '$BOOTS'"
# --accel: the latency comparison's default is icount; the shapes' auto.
if [ -n "$LATENCY" ]; then
	ACCEL_L=${ACCEL_L:-icount}
	check_choice accel "$ACCEL_L" icount tcg kvm
else
	ACCEL_L=${ACCEL_L:-auto}
	check_choice accel "$ACCEL_L" auto tcg kvm
fi
case $SECS in
[1-9]*m) [[ ${SECS%m} =~ ^[0-9]+$ ]] && SECS=$(( ${SECS%m} * 60 )) ;;
[1-9]*s) SECS=${SECS%s} ;;
esac
[[ $SECS =~ ^[1-9][0-9]*$ ]] ||
	die $E_USAGE "soak.sh: --secs wants seconds (300, 300s) or minutes (5m), got '$SECS'"
[ -f "$SHAPES_FILE" ] || die $E_USAGE "soak.sh: no shape list $SHAPES_FILE"
ALL=$(awk '!/^#/ && NF { print $1 }' "$SHAPES_FILE")
[ -n "$SHAPES" ] || SHAPES=$(printf '%s\n' "$ALL" | paste -sd, -)
for s in ${SHAPES//,/ }; do
	grep -qx "$s" <<<"$ALL" ||
		die $E_USAGE "soak.sh: unknown shape '$s' (soak/shapes has: $(printf '%s\n' "$ALL" | paste -sd' ' -))"
done
mkdir -p "$LOGDIR"

# build_for CONFIG: print the build directory of CONFIG, building it if needed.
build_for() {
	local cfg=$1 dir=${BUILDS[$1]:-}
	if [ -n "$dir" ]; then
		[ -f "$dir/arch/x86/boot/bzImage" ] ||
			die $E_USAGE "soak.sh: no kernel in $dir (--build $cfg=$dir)"
		(cd "$dir" && pwd)
		return
	fi
	[ -z "$NO_BUILD" ] || die $E_USAGE "soak.sh: --no-build, but no --build $cfg=DIR"
	dir=$OUT/build-$cfg
	"$ROOT/build/build.sh" --tree "$TREE_DIR" --config "$cfg" --out "$dir" \
		--log "$LOGDIR/build-$cfg.log" >&2 || exit $E_BUILD
	BUILDS[$cfg]=$dir
	echo "$dir"
}

# module_for BUILD [TREE]: build soak/slab_soak.ko against BUILD (configured
# from TREE, default the queue's); print its path.
module_for() {
	local build=$1 tree=${2:-$TREE_DIR} md
	md=$OUT/soak/mod-$(basename "$build")
	{ rm -rf "$md" && mkdir -p "$md" && cp "$ROOT/soak/slab_soak.c" "$ROOT/soak/Kbuild" "$md/"; } ||
		die $E_USAGE "soak.sh: cannot prepare $md"
	make -C "$tree" O="$build" M="$md" modules >"$LOGDIR/soak-module.log" 2>&1 ||
		{ tail -20 "$LOGDIR/soak-module.log" >&2
		  die $E_BUILD "soak.sh: slab_soak.ko does not build against $build (log: $LOGDIR/soak-module.log)"; }
	echo "$md/slab_soak.ko"
}

# get KEY: the value of KEY=value in the shape's summary line ($sum).
get() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$sum"; }

# latency_compare: the --latency mode (see the top of this file).
latency_compare() {
	local cfg k b bd tree log v rc=0 unit=us smp=2
	local -A KO=() BD=() VALS=()
	[ "$ACCEL_L" = icount ] && { unit=kinstr; smp=1; }
	[ -d "$TREE_DIR/.git" ] || "$ROOT/queue/src.sh" --dir "$TREE_DIR" || return $?
	local base_tree
	base_tree=$(baseline_tree) || return $?
	for cfg in latency rtlatency; do
		for k in base patched; do
			tree=$TREE_DIR
			[ $k = base ] && tree=$base_tree
			bd=$OUT/soak/build-$cfg-$k
			say STEP "building $k kernel ($cfg config)"
			"$ROOT/build/build.sh" --tree "$tree" --config "$cfg" --out "$bd" \
				--log "$LOGDIR/soak-build-$cfg-$k.log" || return $E_BUILD
			BD[$cfg-$k]=$bd
			KO[$cfg-$k]=$(module_for "$bd" "$tree") || return $?
		done
	done
	for cfg in latency rtlatency; do
		for ((b = 1; b <= BOOTS; b++)); do
			for k in base patched; do
				log=$LOGDIR/soak-latency-$cfg-$k-$b.log
				say SOAK "latency: $cfg, $k, boot $b of $BOOTS, $SECS s, accel $ACCEL_L"
				"$ROOT/boot/boot.sh" --build "${BD[$cfg-$k]}" --smp "$smp" --mem 2G \
					--accel "$ACCEL_L" --module "${KO[$cfg-$k]}" --job "$ROOT/boot/guest/soak.sh" \
					--log "$log" --timeout $((SECS * 20 + 1200)) --append \
					" soak_secs=$SECS soak_cpuhp=0 soak_pressure=0 soak_memhp= soak_faults=0 soak_latency=1 soak_slab_bound=0" \
					--scan full || rc=$E_FAIL
				v=$(sed -n 's/.*SOAK-LATENCY max_us=\([0-9]*\).*/\1/p' "$log" | tail -1)
				sed -n 's/.*\(SOAK-LATENCY .*\)/    \1/p' "$log" | tail -1
				[ -n "$v" ] || { err "soak.sh: no SOAK-LATENCY line in $log"; rc=$E_FAIL; v=-; }
				VALS[$cfg-$k]="${VALS[$cfg-$k]:+${VALS[$cfg-$k]} }$v"
			done
		done
	done
	echo "longest irq/preempt-off section under the soak load ($unit; accel $ACCEL_L$([ "$ACCEL_L" != icount ] && echo ', emulated time, not hardware'))"
	printf '%-10s %-30s %-30s %s\n' config "baseline 6.12 (per boot)" "patched (per boot)" verdict
	for cfg in latency rtlatency; do
		python3 - "$cfg" "${VALS[$cfg-base]}" "${VALS[$cfg-patched]}" <<'PY'
import statistics, sys
cfg, a, b = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def nums(xs):
    return [int(x) for x in xs if x.isdigit()]
na, nb = nums(a), nums(b)
if not na or not nb:
    verdict = 'missing figures'
else:
    ma, mb = statistics.median(na), statistics.median(nb)
    ratio = mb / ma if ma else float('inf')
    if min(nb) > max(na):
        verdict = 'patched longer: median ratio %.2f, ranges apart' % ratio
    elif max(nb) < min(na):
        verdict = 'patched shorter: median ratio %.2f, ranges apart' % ratio
    else:
        verdict = 'not shown (ranges overlap; median ratio %.2f)' % ratio
print('%-10s %-30s %-30s %s' % (cfg, ' '.join(a), ' '.join(b), verdict))
PY
	done
	return $rc
}
if [ -n "$LATENCY" ]; then
	latency_compare
	exit $?
fi

rc=0
ROWS=()
for s in ${SHAPES//,/ }; do
	read -r name cfg smp numa memless memhp append <<<"$(awk -v s="$s" '$1 == s' "$SHAPES_FILE")"
	[ -n "$memhp" ] || die $E_USAGE "soak.sh: shape $s in $SHAPES_FILE has too few fields"
	build=$(build_for "$cfg") || exit $?
	ko=$(module_for "$build") || exit $?
	log=$LOGDIR/soak-$name.log
	args=(--build "$build" --smp "$smp" --mem 1G --memhp --module "$ko" --job "$ROOT/boot/guest/soak.sh"
		--log "$log" --timeout $((SECS + 1200)))
	[ "$numa" = 0 ] || args+=(--numa "$numa")
	[ "$memless" = - ] || args+=(--memless "$memless")
	[ "$memhp" = - ] && memhp=
	say SOAK "$name: $cfg, $smp vCPUs, $numa nodes (memoryless: $memless), DIMMs on: ${memhp:-none}, $SECS s"
	t0=$(date +%s)
	"$ROOT/boot/boot.sh" "${args[@]}" --accel "$ACCEL_L" --scan full \
		--append " memhp_default_state=online_movable soak_secs=$SECS soak_memhp=$memhp $append"
	brc=$?
	dt=$(( $(date +%s) - t0 ))
	sed 's/^\[host [^]]*\] //' "$log" |
		grep -E '^(SOAK-CHECK|SOAK-SUMMARY|memhp:|pressure:|module:|before:|after:|caches that grew|  [a-z]|=== HOST)' |
		sed 's/^/    /'
	sum=$(sed -n 's/.*SOAK-SUMMARY //p' "$log" | tail -1)
	result=passed
	[ $brc = 0 ] || { result=failed; rc=$E_FAIL; [ $brc = $E_BOOT ] && rc=$E_BOOT; }
	ROWS+=("$(printf '%-9s %-7s %12s %9s %6s %6s %6s %7s %7s %9s %5s' "$name" "$result" \
		"$(get allocated)" "$(get alloc_failed)" "$(get cpuhp)" "$(get memhp_added_mb)" \
		"$(get memhp_removed_mb)" "$(get slab_before_kb)" "$(get slab_after_kb)" \
		"$(get rcu_frees)" "$dt")")
done
echo "shape     result     allocated  injected  cpuhp  +MB    -MB    Slab0kB Slab1kB  kfree_rcu wall"
printf '%s\n' "${ROWS[@]}"
exit $rc
