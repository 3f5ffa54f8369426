#!/bin/bash
# build.sh: configure and build a kernel from a tree, out of tree.
#
#   build/build.sh [--tree DIR] [--config NAME] [--out DIR] [--w1]
#                    [--targets "T1 T2"] [--log FILE] [--config-only]
#                    [--extra FRAGMENT] [--keep-config]
#
# NAME is a row of configs/kernels (the one list of configurations: the
# architecture, the default targets and the fragments of each; see there).
# The fragments in configs/ are applied with "make allnoconfig
# KCONFIG_ALLCONFIG=..." (alldefconfig for ARCH=um) in the build
# directory (nothing is written into the tree) and every requested value is
# checked afterwards; --extra appends one more fragment file (it may override
# values, the last one counts).  ccache is used when installed.  The build log is
# written to --log (default out/logs/build-NAME.log); warnings are listed in
# <log>.warnings, one "file: message [-Wflag]" per line without line numbers,
# and by target in <log>.targets ("TARGET<TAB>WARNING", or "TARGET<TAB>" for a
# target built without one; build/target-warnings.py).
# --keep-config skips the configuration step when OUT is configured with
# the same fragments: for a caller that reconfigures itself whenever the
# tree's Kconfig files change (build-each, per patch; it saves the 3-4 s a
# configuration takes).
# Exit: 0 ok, 2 usage, 3 configuration or build failed.
. "$(dirname "$0")/../lib/lib.sh"

SRC=$TREE_DIR
CONFIG=debug
BUILD=
W1=
TARGETS=
LOG=
CONFIG_ONLY=
EXTRA=
KEEP_CONFIG=
while [ $# -gt 0 ]; do
	case $1 in
	--tree) SRC=$2; shift 2 ;;
	--config) CONFIG=$2; shift 2 ;;
	--out) BUILD=$2; shift 2 ;;
	--w1) W1=1; shift ;;
	--targets) TARGETS=$2; shift 2 ;;
	--log) LOG=$2; shift 2 ;;
	--config-only) CONFIG_ONLY=1; shift ;;
	--extra) EXTRA=$2; shift 2 ;;
	--keep-config) KEEP_CONFIG=1; shift ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "build.sh: unknown argument '$1'" ;;
	esac
done
# The row of configs/kernels: "ARCH TARGETS FRAGMENT...".
ROW=$(awk -v n="$CONFIG" '!/^#/ && $1 == n { $1 = ""; print; exit }' "$ROOT/configs/kernels")
if [ -z "$ROW" ]; then
	die $E_USAGE "build.sh: unknown configuration '$CONFIG' (expected one of: $(awk '!/^#/ && NF { print $1 }' "$ROOT/configs/kernels" | paste -sd ' '))"
fi
read -r KARCH KTARGETS FRAGS <<<"$ROW"
[ -n "$TARGETS" ] || TARGETS=${KTARGETS//,/ }
# x86_64 kernels start from allnoconfig: only what the fragments ask for.
# UML starts from its defaults.
START_CONFIG=allnoconfig
ARCHV=()
case $KARCH in
x86_64) ;;
i386) ARCHV=(ARCH=i386) ;;
# User-Mode Linux: the kernel is the host program $BUILD/linux.
um) ARCHV=(ARCH=um SUBARCH=x86_64); START_CONFIG=alldefconfig ;;
arm64)
	command -v aarch64-linux-gnu-gcc >/dev/null || need_pkgs gcc-aarch64-linux-gnu
	ARCHV=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
*) die $E_USAGE "build.sh: configs/kernels: unknown architecture '$KARCH' for $CONFIG" ;;
esac
BUILD=${BUILD:-$OUT/build-$CONFIG}
LOG=${LOG:-$LOGS/build-$CONFIG.log}
[ -f "$SRC/Makefile" ] || die $E_USAGE "no kernel tree at $SRC (run make src)"
mkdir -p "$BUILD" "$(dirname "$LOG")"
BUILD=$(cd "$BUILD" && pwd)

if [ "$KARCH" = arm64 ]; then kbuild_env aarch64-linux-gnu-gcc; else kbuild_env gcc; fi
MAKEFLAGS_K=(-C "$SRC" O="$BUILD" CC="$CC" "${ARCHV[@]}" -j"${JOBS:-$(nproc)}")

# --- configure (only when the fragments changed) ---------------------------
frag=$BUILD/fragment.config
: >"$frag.new"
for f in $FRAGS; do
	cat "$ROOT/configs/$f.config" >>"$frag.new"
done
if [ -n "$EXTRA" ]; then
	[ -f "$EXTRA" ] || die $E_USAGE "build.sh: no fragment file $EXTRA"
	cat "$EXTRA" >>"$frag.new"
fi
# Configure every time (unless --keep-config): the tree's Kconfig may have
# changed (a patch that adds an option), and syncconfig would give a new
# option its default rather than the fragment's value.  Unchanged values
# rebuild nothing.
configure() {
	cmp -s "$frag.new" "$frag" || say CONFIG "$CONFIG ($FRAGS) in ${BUILD#"$ROOT"/}"
	mv "$frag.new" "$frag"
	if ! make "${MAKEFLAGS_K[@]}" KCONFIG_ALLCONFIG="$frag" $START_CONFIG \
		>"$LOG" 2>&1; then
		tail -20 "$LOG" >&2
		die $E_BUILD "configuration failed (log: $LOG)"
	fi
	# Every requested value must be in the final .config, unless the tree does
	# not have the option at all (options added by the queue, on older trees).
	# A later fragment may override an earlier one (lean turns min's MEMCG off):
	# the last request for a symbol is the one that counts, as for Kconfig.
	local bad=0
	local -A WANT=()
	local ORDER=() line sym want got
	while read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*}; want=${line#*=} ;;
		'# CONFIG_'*' is not set') sym=${line#\# }; sym=${sym%% *}; want=n ;;
		*) continue ;;
		esac
		[ -n "${WANT[$sym]:-}" ] || ORDER+=("$sym")
		WANT[$sym]=$want
	done <"$frag"
	for sym in "${ORDER[@]}"; do
		want=${WANT[$sym]}
		got=$(sed -n "s/^$sym=//p" "$BUILD/.config")
		[ -n "$got" ] || got=n
		[ "$got" = "$want" ] && continue
		if ! grep -rqs --include='Kconfig*' "^config ${sym#CONFIG_}\$" "$SRC"; then
			continue
		fi
		err "$sym: requested $want, got $got (dependencies not met?)"
		bad=1
	done
	[ $bad = 0 ] || die $E_BUILD "configuration of $CONFIG does not hold"
}
if [ -n "$KEEP_CONFIG" ] && [ -z "$CONFIG_ONLY" ] && [ -f "$BUILD/.config" ] &&
   cmp -s "$frag.new" "$frag"; then
	rm -f "$frag.new"
	: >"$LOG"
else
	configure
fi

[ -n "$CONFIG_ONLY" ] && { say OK "$CONFIG configuration in ${BUILD#"$ROOT"/}"; exit 0; }

# --- build -----------------------------------------------------------------
say BUILD "$CONFIG: $TARGETS${W1:+ (W=1)}"
start=$(date +%s)
# shellcheck disable=SC2086 # TARGETS: one word per make target; W=1 or no word
# --output-sync=target: each target's output in one piece (its "CC" line,
# then its warnings), so that LOG.targets can say which target warned.
if ! run make "${MAKEFLAGS_K[@]}" --output-sync=target ${W1:+W=1} $TARGETS >>"$LOG" 2>&1; then
	grep -E 'error:|Error [0-9]' "$LOG" | head -20 >&2
	die $E_BUILD "build of $CONFIG failed (log: $LOG)"
fi
end=$(date +%s)
# Warnings, normalised: path relative to the tree, no line/column numbers.
grep -E '^[^ ]+:[0-9]+(:[0-9]+)?: warning:' "$LOG" |
	sed -E "s#^($SRC/|\\.\\./)?##; s#^([^:]+):[0-9]+(:[0-9]+)?: #\\1: #" |
	sort -u >"$LOG.warnings" || true
# The same by target, and every target built ("TARGET<TAB>WARNING" or
# "TARGET<TAB>"): what build-each.sh charges each patch with.
python3 "$ROOT/build/target-warnings.py" parse "$LOG" --tree "$SRC" >"$LOG.targets" ||
	die $E_BUILD "cannot sort the warnings of $LOG by target"
say DONE "$CONFIG in $((end - start)) s, $(wc -l <"$LOG.warnings") distinct warnings (${LOG#"$ROOT"/})"
