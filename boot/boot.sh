#!/bin/bash
# boot.sh: boot a built kernel with a busybox initramfs, run a guest job in
# it and judge the run: the one way every gate, the soak, run and the
# benchmark start a guest.
#
#   boot/boot.sh [--backend qemu|uml] [--arch x86_64|arm64] [--kernel IMAGE | --build DIR]
#                   [--smp N] [--maxcpus N] [--mem SIZE] [--numa N] [--memless LIST]
#                   [--append ARGS] [--job SCRIPT] [--module KO]... [--file HOST:GUEST]...
#                   [--bin PROG]... [--timeout SECONDS] [--log FILE]
#                   [--accel auto|kvm|tcg|icount] [--cpu-flags FLAGS] [--seed N] [--memhp] [--perf PERF:CSV]
#                   [--profile FILE]
#                   [--scan full|lockdep|none] [--suites LIST] [--require SUITE.CASE]...
#                   [--meminit] [--selftest WHAT]... [--shell] [--echo]
#
# Backends: qemu (qemu-system-x86_64, the default) and uml (the ARCH=um
# binary DIR/linux, run natively on one CPU; --smp 1 only, no --numa,
# --maxcpus, --memhp, --accel or --cpu-flags; boot/uml-xstate.c is
# preloaded into it, without which 6.12's UML user space dies on hosts
# with AMX).  --arch arm64 (the default
# when --build DIR holds an arm64 kernel; with --kernel it must be given) boots DIR/arch/arm64/boot/Image in
# qemu-system-aarch64's "virt" machine with -cpu max (LSE atomics), console
# ttyAMA0, always under TCG (this host cannot run arm64 under KVM); no
# --memhp (DIMMs on virt need ACPI); the initramfs gets Debian's arm64
# busybox (boot/mkinitramfs.sh --arch arm64).  --perf PERF:CSV (uml only)
# runs it under "PERF stat -e instructions,cycles" writing CSV.
# --profile FILE (qemu, TCG or icount) loads the TCG plugin bench/tbprof.c
# (built by bench/tbprof.sh), which writes the guest kernel's executed
# instructions per translation block to FILE when the guest ends;
# bench/profile.py makes a per-function profile of it.
# Defaults: --build out/build-debug, 2 vCPUs, 2G, no NUMA, job boot/guest/smoke.sh,
# timeout 900 s, log out/logs/boot-<job>.log, accel auto.  --numa N splits
# memory and vCPUs evenly over N nodes; --memless 1,2 makes those nodes
# memoryless.  --maxcpus N makes N CPUs possible (present, offline), of
# which --smp are brought up: what per-possible-CPU allocations cost.
# Accel auto uses KVM only when a short probe boot under KVM works on this
# machine (the result is cached in out/kvm-probe); otherwise TCG with one
# host thread per vCPU.  Accel icount makes guest time count executed
# instructions (-icount shift=0,sleep=off): deterministic, not a timing.
# --cpu-flags FLAGS changes the virtual CPU's features, as QEMU spells
# them after the CPU model (-cpu max,FLAGS or host,FLAGS): "-cx16" takes
# cmpxchg16b away.
# --seed N (qemu): the guest's random numbers (RDRAND, RDSEED, the boot's
# random seed) come from QEMU's generator seeded with N instead of the
# host's: with --accel icount two boots with the same N run alike.
# --memhp gives the guest 4 DIMM slots and room for 4G more memory, and a
# QEMU monitor that the guest drives with "=== MONITOR <command>" lines
# written to /dev/kmsg (see boot/qemu-run.py), for example
# "object_add memory-backend-ram,id=m1,size=256M", then
# "device_add pc-dimm,id=d1,memdev=m1,node=1", later "device_del d1".
# The exact command is printed.
#
# Judging, after the guest has ended: the console is scanned for splats
# (boot/scan-log.sh; --scan full, the default, or lockdep for guests
# that run the KASAN/KFENCE suites, whose reports are intended; none only
# for a guest that is not a test, such as the KVM probe).  With --suites,
# --require, --meminit or --selftest the KUnit and self-test results are
# judged too (boot/ktap.py, which writes LOG without .log plus .json
# and .report).  The last line says the verdict:
#   VERDICT <log>: passed | failed (<what failed>)
# Exit: 0 guest job passed and nothing was found, 1 the guest job failed or
# a result or the scan failed, 2 usage, 4 boot failed, panicked or timed
# out (the scan and the results are still judged and printed).
. "$(dirname "$0")/../lib/lib.sh"

BUILD=$OUT/build-debug
KERNEL=
SMP=2
MAXCPUS=
MEM=2G
NUMA=0
MEMLESS=
APPEND=
JOB=$ROOT/boot/guest/smoke.sh
MODS=()
FILES=()
BINS=()
TIMEOUT=900
LOG=
ACCEL=auto
CPU_FLAGS=
SEED=
SHELL_MODE=
ECHO=
MEMHP=
BACKEND=qemu
ARCH=
PERF_SPEC=
PROFILE=
SCAN=full
KTAP=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--maxcpus) MAXCPUS=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--numa) NUMA=$2; shift 2 ;;
	--memless) MEMLESS=$2; shift 2 ;;
	--append) APPEND="$APPEND $2"; shift 2 ;;
	--job) JOB=$2; shift 2 ;;
	--module) MODS+=(--module "$2"); shift 2 ;;
	--file) FILES+=(--file "$2"); shift 2 ;;
	--bin) BINS+=(--bin "$2"); shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--log) LOG=$2; shift 2 ;;
	--accel) ACCEL=$2; shift 2 ;;
	--cpu-flags) CPU_FLAGS=$2; shift 2 ;;
	--seed) SEED=$2; shift 2 ;;
	--memhp) MEMHP=1; shift ;;
	--backend) BACKEND=$2; shift 2 ;;
	--arch) ARCH=$2; shift 2 ;;
	--perf) PERF_SPEC=$2; shift 2 ;;
	--profile) PROFILE=$2; shift 2 ;;
	--scan) SCAN=$2; shift 2 ;;
	--suites) KTAP+=(--suites "$2"); shift 2 ;;
	--require) KTAP+=(--require "$2"); shift 2 ;;
	--meminit) KTAP+=(--meminit); shift ;;
	--selftest) KTAP+=(--selftest "$2"); shift 2 ;;
	--shell) SHELL_MODE=1; shift ;;
	--echo) ECHO=--echo; shift ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "boot.sh: unknown argument '$1'" ;;
	esac
done
check_choice backend "$BACKEND" qemu uml
check_choice accel "$ACCEL" auto kvm tcg icount
check_choice scan "$SCAN" full lockdep none
# The architecture: given, else the build directory's, else x86_64.
if [ -z "$ARCH" ]; then
	ARCH=x86_64
	[ -n "$KERNEL" ] || ! grep -qs '^CONFIG_ARM64=y' "$BUILD/.config" || ARCH=arm64
fi
check_choice arch "$ARCH" x86_64 arm64
if [ "$ARCH" = arm64 ]; then
	[ "$BACKEND" = qemu ] || die $E_USAGE "boot.sh: --arch arm64 is for the qemu backend"
	[ -z "$MEMHP" ] || die $E_USAGE "boot.sh: --memhp is not available for arm64 (DIMMs on QEMU's virt machine need ACPI)"
	[ "$ACCEL" != kvm ] || die $E_USAGE "boot.sh: --accel kvm cannot run an arm64 guest on this host"
fi
if [ "$BACKEND" = uml ]; then
	[ "$SMP" = 1 ] || die $E_USAGE "boot.sh: the uml backend has one CPU (--smp 1), got --smp $SMP"
	if [ "$NUMA" != 0 ] || [ -n "$MAXCPUS" ] || [ -n "$MEMHP" ] || [ "$ACCEL" != auto ] ||
	   [ -n "$CPU_FLAGS" ] || [ -n "$SEED" ]; then
		die $E_USAGE "boot.sh: --numa, --maxcpus, --memhp, --accel, --cpu-flags and --seed are for the qemu backend"
	fi
else
	[ -z "$PERF_SPEC" ] || die $E_USAGE "boot.sh: --perf is for the uml backend"
fi
if [ -n "$PROFILE" ]; then
	[ "$BACKEND" = qemu ] || die $E_USAGE "boot.sh: --profile is for the qemu backend"
	[ "$ACCEL" = tcg ] || [ "$ACCEL" = icount ] ||
		die $E_USAGE "boot.sh: --profile wants --accel tcg or icount (a TCG plugin), got --accel $ACCEL"
	[[ $PROFILE != *,* ]] || die $E_USAGE "boot.sh: --profile FILE cannot contain a comma, got '$PROFILE'"
	mkdir -p "$(dirname "$PROFILE")" || die $E_USAGE "boot.sh: cannot make the directory of $PROFILE"
fi
[ -z "$PERF_SPEC" ] || [[ $PERF_SPEC == ?*:?* ]] ||
	die $E_USAGE "boot.sh: --perf wants PERF:CSV, got '$PERF_SPEC'"
[ -z "$CPU_FLAGS" ] || [[ $CPU_FLAGS =~ ^[-+]?[a-z0-9_.=-]+(,[-+]?[a-z0-9_.=-]+)*$ ]] ||
	die $E_USAGE "boot.sh: --cpu-flags wants QEMU CPU features like -cx16 or -cx16,+x2apic, got '$CPU_FLAGS'"
[ -z "$SEED" ] || [[ $SEED =~ ^[0-9]+$ ]] || die $E_USAGE "boot.sh: --seed wants a number, got '$SEED'"
[[ $SMP =~ ^[1-9][0-9]*$ ]] || die $E_USAGE "--smp wants a positive number, got '$SMP'"
[ -z "$MAXCPUS" ] || { [[ $MAXCPUS =~ ^[1-9][0-9]*$ ]] && [ "$MAXCPUS" -ge "$SMP" ]; } ||
	die $E_USAGE "boot.sh: --maxcpus wants a number not below --smp ($SMP), got '$MAXCPUS'"
[[ $NUMA =~ ^[0-9]+$ ]] || die $E_USAGE "--numa wants a number of nodes, got '$NUMA'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die $E_USAGE "--timeout wants seconds, got '$TIMEOUT'"
[[ $MEM =~ ^[1-9][0-9]*[MG]$ ]] || die $E_USAGE "--mem wants a size like 2G or 512M, got '$MEM'"
if [ "$BACKEND" = uml ]; then
	KERNEL=${KERNEL:-$BUILD/linux}
	[ -x "$KERNEL" ] || die $E_USAGE "boot.sh: no UML binary at $KERNEL (build an ARCH=um kernel first)"
else
	if [ "$ARCH" = arm64 ]; then
		KERNEL=${KERNEL:-$BUILD/arch/arm64/boot/Image}
	else
		KERNEL=${KERNEL:-$BUILD/arch/x86/boot/bzImage}
	fi
	[ -f "$KERNEL" ] || die $E_USAGE "boot.sh: no kernel at $KERNEL (build it first: make build$([ "$ARCH" = arm64 ] && echo " CONFIG=arm64boot"))"
fi
[ -f "$JOB" ] || die $E_USAGE "boot.sh: no guest job $JOB"
if [ "$ARCH" = arm64 ]; then
	QEMU="qemu-system-aarch64"
	command -v $QEMU >/dev/null || need_pkgs qemu-system-arm
else
	QEMU="qemu-system-x86_64"
	[ "$BACKEND" = uml ] || command -v $QEMU >/dev/null || need_pkgs qemu-system-x86
fi
jobname=$(basename "$JOB" .sh)
LOG=${LOG:-$LOGS/boot-$jobname.log}
mkdir -p "$(dirname "$LOG")"

# judge RC: scan the console and judge the results of the run that ended
# with RC (qemu-run.py's: 0, 1 job failed, 4 boot failed or timed out);
# print the verdict and exit with it.
judge() {
	local rc=$1 why=() w='' x
	case $rc in
	0) ;;
	2) why+=("qemu-run.py could not run the guest (usage)") ;;
	4) why+=("boot failed, panicked or timed out") ;;
	*) why+=("guest job failed (rc $rc)"); rc=$E_FAIL ;;
	esac
	if [ ${#KTAP[@]} -gt 0 ]; then
		python3 "$ROOT/boot/ktap.py" "$LOG" "${KTAP[@]}" \
			--json "${LOG%.log}.json" --report "${LOG%.log}.report" ||
			{ why+=("results"); [ "$rc" = 0 ] && rc=$E_FAIL; }
	fi
	if [ "$SCAN" != none ]; then
		"$ROOT/boot/scan-log.sh" "$LOG" "$SCAN" ||
			{ why+=("$SCAN scan"); [ "$rc" = 0 ] && rc=$E_FAIL; }
	fi
	if [ "$rc" = 0 ]; then
		say VERDICT "${LOG#"$ROOT"/}: passed"
	else
		for x in "${why[@]}"; do w="${w:+$w, }$x"; done
		say VERDICT "${LOG#"$ROOT"/}: failed ($w)"
	fi
	exit "$rc"
}

INITRD=$OUT/initramfs-$jobname-$$.cpio.gz
trap 'rm -f "$INITRD"' EXIT
gen=()
kdir=$(cd "$(dirname "$KERNEL")/../../.." 2>/dev/null && pwd)
[ -x "$kdir/usr/gen_init_cpio" ] && gen=(--gen "$kdir/usr/gen_init_cpio")
"$ROOT/boot/mkinitramfs.sh" "$INITRD" --arch "$ARCH" --job "$JOB" "${MODS[@]}" \
	"${FILES[@]}" "${BINS[@]}" "${gen[@]}" || exit $?

# memory in MiB
case $MEM in *G) MEMM=$(( ${MEM%G} * 1024 )) ;; *M) MEMM=${MEM%M} ;; esac

# --- uml ---------------------------------------------------------------------
if [ "$BACKEND" = uml ]; then
	perf=()
	# shellcheck disable=SC2054 # -x, is perf's CSV separator option
	[ -z "$PERF_SPEC" ] ||
		perf=("${PERF_SPEC%%:*}" stat -e instructions,cycles -x, -o "${PERF_SPEC#*:}" --)
	read -ra extra <<<"$APPEND"
	# 6.12's UML cannot set a process's FPU registers where the host's
	# XSAVE area is bigger than its buffer (AMX hosts: every user process
	# dies at once); boot/uml-xstate.c, preloaded, fills the gap and
	# changes nothing on other hosts.
	shim=$OUT/tools/uml-xstate.so
	if [ ! -f "$shim" ] || [ "$ROOT/boot/uml-xstate.c" -nt "$shim" ]; then
		mkdir -p "$OUT/tools"
		if ! gcc -O2 -Wall -shared -fPIC -o "$shim.$$" "$ROOT/boot/uml-xstate.c"; then
			rm -f "$shim.$$"
			die $E_BUILD "boot.sh: cannot build $shim from boot/uml-xstate.c"
		fi
		mv -f "$shim.$$" "$shim"
	fi
	# shellcheck disable=SC2054 # con0=null,fd:1 is one UML option
	uml=("${perf[@]}" env "LD_PRELOAD=$shim" "$KERNEL" mem="${MEMM}M" initrd="$INITRD" con=null con0=null,fd:1
		ssl=null console=tty0 panic=-1 "${extra[@]}")
	say BOOT "uml, native, 1 CPU, ${MEMM}M"
	info "    ${uml[*]}"
	# UML keeps its memory in files under TMPDIR; /dev/shm is a tmpfs.
	TMPDIR=/dev/shm python3 "$ROOT/boot/qemu-run.py" --log "$LOG" --timeout "$TIMEOUT" $ECHO \
		-- "${uml[@]}"
	judge $?
fi

# vCPUs QEMU creates: --maxcpus of them if given (see below), else --smp.
ncpu=${MAXCPUS:-$SMP}
numa_args=()
if [ "$NUMA" -gt 0 ]; then
	IFS=, read -ra ml <<<"$MEMLESS"
	nmem=$NUMA
	for x in "${ml[@]}"; do
		{ [[ $x =~ ^[0-9]+$ ]] && [ "$x" -lt "$NUMA" ]; } ||
			die $E_USAGE "--memless: '$x' is not a node below $NUMA"
		nmem=$((nmem - 1))
	done
	[ "$nmem" -gt 0 ] || die $E_USAGE "--memless leaves no node with memory"
	per=$(( MEMM / nmem ))
	MEMM=$(( per * nmem ))
	for ((i = 0; i < NUMA; i++)); do
		lo=$(( i * ncpu / NUMA )); hi=$(( (i + 1) * ncpu / NUMA - 1 ))
		spec="node,nodeid=$i"
		[ "$hi" -ge "$lo" ] && spec="$spec,cpus=$lo-$hi"
		if [[ ",$MEMLESS," != *",$i,"* ]]; then
			numa_args+=(-object "memory-backend-ram,id=m$i,size=${per}M")
			spec="$spec,memdev=m$i"
		fi
		numa_args+=(-numa "$spec")
	done
fi
# One socket per node when the CPUs split evenly: with QEMU's default of one
# socket the guest sees cache siblings on different nodes and warns
# (topology_sane) while it brings the CPUs up.
# CPUs that do not split evenly (4 on 3 nodes) get a socket each.
smp=$ncpu
if [ "$NUMA" -gt 1 ]; then
	if [ $(( ncpu % NUMA )) = 0 ]; then
		smp="$ncpu,sockets=$NUMA"
	else
		smp="$ncpu,sockets=$ncpu"
	fi
fi
# --maxcpus: QEMU lists CPUs beyond -smp as disabled MADT entries, but Linux
# counts those as hot-pluggable only under a hypervisor it recognises, which
# TCG is not ("plus 0 hotplug CPUs").  So all N are present and the guest
# brings up --smp of them (maxcpus=): the others are possible and offline,
# and can be onlined through sysfs.
[ -z "$MAXCPUS" ] || APPEND="$APPEND maxcpus=$SMP"

# --- accelerator -------------------------------------------------------------
kvm_probe() {
	local key cache=$OUT/kvm-probe
	key="$(uname -r) $(qemu-system-x86_64 --version | head -1) $(grep -m1 'model name' /proc/cpuinfo)"
	if [ -f "$cache" ] && [ "$(head -1 "$cache")" = "$key" ]; then
		[ "$(sed -n 2p "$cache")" = ok ]
		return
	fi
	local r=fail
	need_logs
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		say PROBE "KVM: short boot, 30 s limit"
		local pinit=$OUT/initramfs-probe-$$.cpio.gz
		if "$ROOT/boot/mkinitramfs.sh" "$pinit" --job "$ROOT/boot/guest/smoke.sh" &&
		   python3 "$ROOT/boot/qemu-run.py" --log "$LOGS/kvm-probe.log" --timeout 30 \
			--grace 5 -- qemu-system-x86_64 -accel kvm -cpu host -smp 1 -m 512M \
			-nodefaults -nographic -no-reboot -serial stdio -kernel "$KERNEL" \
			-initrd "$pinit" -append "console=ttyS0 panic=-1 guest_probe=1 guest_off=reset" \
			2>/dev/null; then
			r=ok
		fi
		rm -f "$pinit"
	fi
	printf '%s\n%s\n' "$key" "$r" >"$cache"
	[ $r = ok ]
}
# arm64 guests always run under TCG (auto means tcg for them).
[ "$ARCH" = arm64 ] && [ "$ACCEL" = auto ] && ACCEL=tcg
# shellcheck disable=SC2054 # QEMU option values are comma-separated
case $ACCEL in
kvm) accel=(-accel kvm -cpu host); used=kvm ;;
tcg) accel=(-accel tcg,thread=multi -cpu max); used=tcg ;;
# Guest time counts executed instructions (1 ns = 1 instruction, no sleeping
# when idle), deterministic for in-kernel loops; TCG runs single-threaded.
icount) accel=(-accel tcg -icount shift=0,sleep=off -cpu max)
	used="icount (guest ns = instructions, single-threaded TCG)" ;;
auto)
	if kvm_probe; then
		accel=(-accel kvm -cpu host); used=kvm
	else
		accel=(-accel tcg,thread=multi -cpu max); used="tcg (KVM probe failed: timings are emulated)"
	fi ;;
esac

if [ -n "$CPU_FLAGS" ]; then
	accel[-1]="${accel[-1]},$CPU_FLAGS"
	used="$used, CPU ${accel[-1]}"
fi

# guest_off=reset: boot/guest/init ends the guest with a reset (-no-reboot).
console=ttyS0
machine=()
if [ "$ARCH" = arm64 ]; then
	console=ttyAMA0
	machine=(-M virt)
fi
cmdline="console=$console panic=-1 oops=panic loglevel=7 guest_off=reset${APPEND}"
[ -n "$SHELL_MODE" ] && cmdline="$cmdline guest_shell=1"
mem="${MEMM}M"
mon=()
monitor=()
seed=()
[ -z "$SEED" ] || seed=(-seed "$SEED")
if [ -n "$MEMHP" ]; then
	mem="${MEMM}M,slots=4,maxmem=$((MEMM + 4096))M"
	sock=${TMPDIR:-/tmp}/slab-qemu-mon-$$.sock
	trap 'rm -f "$INITRD" "$sock"' EXIT
	mon=(-monitor "unix:$sock,server=on,wait=off")
	monitor=(--monitor "$sock")
fi
plugin=()
if [ -n "$PROFILE" ]; then
	so=$("$ROOT/bench/tbprof.sh") || exit $E_USAGE
	plugin=(-plugin "$so,out=$(realpath -m "$PROFILE")")
	rm -f "$PROFILE"
fi
qemu=("$QEMU" "${machine[@]}" "${accel[@]}" -smp "$smp" -m "$mem" "${numa_args[@]}"
	-nodefaults -nographic -no-reboot -serial stdio "${mon[@]}" "${seed[@]}" "${plugin[@]}"
	-kernel "$KERNEL" -initrd "$INITRD" -append "$cmdline")
say BOOT "qemu$([ "$ARCH" = arm64 ] && echo " arm64"), $used, $SMP vCPUs, ${MEMM}M$([ "$NUMA" -gt 0 ] && echo ", $NUMA NUMA nodes")"
info "    ${qemu[*]}"
if [ -n "$SHELL_MODE" ]; then
	"${qemu[@]}"
	exit $?
fi
python3 "$ROOT/boot/qemu-run.py" --log "$LOG" --timeout "$TIMEOUT" $ECHO "${monitor[@]}" \
	-- "${qemu[@]}"
rc=$?
if [ -n "$PROFILE" ]; then
	if [ -s "$PROFILE" ]; then
		say PROFILE "$PROFILE ($(wc -l <"$PROFILE") blocks; bench/profile.py --map $BUILD/System.map $PROFILE)"
	else
		err "the plugin wrote no profile to $PROFILE"
		[ "$rc" != 0 ] || rc=$E_FAIL
	fi
fi
judge $rc
