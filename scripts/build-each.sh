#!/bin/bash
# build-each.sh: prove that every patch of the queue builds (bisectability)
# and adds no compiler or sparse warning.
#
#   scripts/build-each.sh [--tree DIR] [--config NAME] [--out DIR]
#                         [--logdir DIR]
#
# Builds the base, then checks out each commit of base..queue in order and
# builds it, everything with W=1 (more compiler warnings; W=1 changes no
# generated code) in one build directory (ccache when installed):
#  - the base in full, kernel and modules: its warnings are the reference;
#  - every patch with the objects it can affect
#    (scripts/affected-objects.py: the objects of the .c files it touches,
#    the directories whose Makefile it changes, and of the objects that
#    include a header it changes those that use a symbol the change
#    touches), or in full when that tool says FULL (for a Kconfig change to
#    existing options only when the reconfigured build's .config differs
#    from the one before the patch).  Without this, every patch that
#    touches a header such as <linux/slab.h> would recompile most of the
#    kernel; the objects skipped are compiled by the next full make,
#    against that tree.
# Each object is compiled once per patch that affects it: its W=1 warnings
# come from that compile, and sparse checks the .c files the patch touches
# with "make C=2", which runs sparse without compiling again when the
# object is up to date.
# A patch fails when:
#  - the build fails;
#  - the build prints a warning (W=1 included) that the base's build does
#    not have (compared without line numbers, so moved code does not count
#    as new);
#  - a .c file it touches gets a new sparse warning (sparse before and
#    after the patch; the result after one patch is the result before the
#    next one that touches the file).
# The tree is left at the tip of queue.  The build directory then holds
# the tip's objects for everything a patch affected: a full make with W=1
# at the tip (test.sh's build-debug gate) compiles the rest.  The base's
# warnings are in LOGDIR/build-each-base.warnings.  One line per patch goes
# to stdout and to LOGDIR/build-each.results.
# Exit: 0 all patches ok, 1 new warnings, 2 usage, 3 a build failed.
. "$(dirname "$0")/lib.sh"

SRC=$TREE_DIR
CONFIG=debug
BUILD=
LOGDIR=$LOGS
while [ $# -gt 0 ]; do
	case $1 in
	--tree) SRC=$2; shift 2 ;;
	--config) CONFIG=$2; shift 2 ;;
	--out) BUILD=$2; shift 2 ;;
	--logdir) LOGDIR=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "build-each.sh: unknown argument '$1'" ;;
	esac
done
TREE_DIR=$SRC
BUILD=${BUILD:-$OUT/build-$CONFIG}
mkdir -p "$LOGDIR" "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
[ -e "$SRC/.git" ] || die $E_USAGE "no git tree at $SRC"
# shellcheck disable=SC2143 # with pipefail, grep -q could SIGPIPE git and fail the pipe
[ -z "$(tgit status --porcelain --ignored | grep -v '^!! \.checkpatch-camelcase\.')" ] || die $E_USAGE "$SRC has uncommitted changes"
# The per-patch make calls below are x86_64 ones (no ARCH=).
[ "$(awk -v n="$CONFIG" '!/^#/ && $1 == n { print $2 }' "$ROOT/configs/kernels")" = x86_64 ] ||
	die $E_USAGE "build-each.sh: configuration '$CONFIG' is not an x86_64 row of configs/kernels"
command -v sparse >/dev/null || need_pkgs sparse
command -v ctags-universal >/dev/null || need_pkgs universal-ctags
RES=$LOGDIR/build-each.results
: >"$RES"

# As scripts/build.sh has it: the same CC and W=1 keep Kbuild's saved
# command lines equal, so sparse_set never recompiles an up-to-date object.
CC=gcc
command -v ccache >/dev/null && CC="ccache gcc"
export CCACHE_BASEDIR=$OUT CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
export KBUILD_BUILD_TIMESTAMP="Wed Jan  1 00:00:00 UTC 2025"
export KBUILD_BUILD_USER=queue KBUILD_BUILD_HOST=sheaves

# sparse_set FILE.c...: normalised sparse (and, when the object had to be
# compiled, W=1 compiler) warnings of those files in the tree as checked
# out.  A file's result at a commit is kept (in files: this runs in command
# substitutions): the "after" of one patch is the "before" of the next one
# that touches the file.
SPARSE_CACHE=$LOGDIR/sparse-cache
rm -rf "$SPARSE_CACHE" "$LOGDIR/w1-cache"
sparse_set() {
	local f o key head
	head=$(tgit rev-parse HEAD)
	for f in "$@"; do
		o=${f%.c}.o
		[ -f "$SRC/$f" ] || continue
		key=$SPARSE_CACHE/$head/${f//\//_}
		if [ ! -f "$key" ]; then
			mkdir -p "${key%/*}"
			make -C "$SRC" O="$BUILD" CC="$CC" W=1 C=2 "$o" 2>&1 >/dev/null |
				grep -E '^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):' |
				sed -E "s#^($SRC/|\.\./)?##; s#^([^:]+):[0-9]+(:[0-9]+)?: #\1: #" >"$key.tmp"
			mv "$key.tmp" "$key"
		fi
		cat "$key"
	done | sed '/^$/d' | sort -u
}

commits=$(tgit rev-list --reverse base..queue)
total=$(printf '%s\n' "$commits" | grep -c . || true)
BASE_WARN=$LOGDIR/build-each-base.warnings
rm -f "$BASE_WARN"
tgit checkout -q base
say PATCH "[0/$total] the base, in full: its warnings are the reference"
if ! "$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" --w1 \
	--log "$LOGDIR/build-each-0000-base.log" >/dev/null; then
	echo "FAIL the base does not build (log: $LOGDIR/build-each-0000-base.log)" | tee -a "$RES"
	tgit checkout -q queue
	exit $E_BUILD
fi
cp "$LOGDIR/build-each-0000-base.log.warnings" "$BASE_WARN"
rc=0
i=0
for c in $commits; do
	i=$((i + 1))
	name=$(printf '%04d-%s' "$i" "$(tgit log -1 --format=%f "$c" | cut -c1-52)")
	files=$(tgit diff-tree --no-commit-id --name-only -r "$c")
	cfiles=$(printf '%s\n' "$files" | grep '\.c$' || true)
	# shellcheck disable=SC2086 # one word per file name
	sp_old=$(sparse_set $cfiles)
	tgit checkout -q "$c"
	say PATCH "[$i/$total] $name"
	log=$LOGDIR/build-each-$name.log
	t0=$(date +%s)
	targets=
	what="full make"
	if ! aff=$("$ROOT/scripts/affected-objects.py" --tree "$SRC" --build "$BUILD" \
		--commit "$c" 2>"$log.affected-err"); then
		echo "FAIL $name: affected-objects.py failed: $(cat "$log.affected-err")" | tee -a "$RES"
		rc=$E_BUILD
		break
	fi
	head=$(printf '%s\n' "$aff" | head -1)
	kconf_note=
	# A Kconfig change to existing options may leave this configuration
	# as it was (a "select" of an option that is on anyway): then no
	# object can see it.  Reconfigure and compare to find out.
	if [[ $head == "FULL: "*"Kconfig"*" changes existing options" ]]; then
		cp "$BUILD/.config" "$BUILD/config.prev"
		if "$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
			--config-only --log "$log.config" >/dev/null &&
		   cmp -s "$BUILD/.config" "$BUILD/config.prev" &&
		   aff2=$("$ROOT/scripts/affected-objects.py" --tree "$SRC" --build "$BUILD" \
			--commit "$c" --config-unchanged 2>>"$log.affected-err"); then
			aff=$aff2
			head=$(printf '%s\n' "$aff" | head -1)
			kconf_note=", Kconfig change leaves the configuration as it was"
		fi
	fi
	printf '%s\n' "$aff" >"$log.affected"
	case $head in
	FULL:*) what="full make: $(printf "%s" "${head#FULL: }" | cut -c1-90)" ;;
	OBJECTS*)
		targets=$(printf '%s\n' "$aff" | tail -n +2 | tr '\n' ' ')
		n=$(printf '%s\n' "$aff" | tail -n +2 | grep -c . || true)
		what="$n affected targets$kconf_note"
		# Nothing to compile (a change to comments only, say).
		[ "$n" = 0 ] && targets="mm/slub.o"
		;;
	esac
	# An empty target list is a full make (build.sh's default targets).
	if ! "$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" --w1 \
		${targets:+--targets "$targets"} --log "$log" >/dev/null; then
		echo "FAIL $name does not build (log: $log)" | tee -a "$RES"
		rc=$E_BUILD
		break
	fi
	secs=$(( $(date +%s) - t0 ))
	new=$(comm -13 "$BASE_WARN" "$log.warnings")
	# shellcheck disable=SC2086 # one word per file name
	sp_new=$(comm -13 <(printf '%s\n' "$sp_old" | sed '/^$/d') \
		<(sparse_set $cfiles | sed '/^$/d'))
	missing=
	for f in $cfiles; do
		[ -f "$BUILD/${f%.c}.o" ] || missing="$missing ${f}"
	done
	if [ -n "$new" ] || [ -n "$sp_new" ]; then
		echo "FAIL $name: new warnings" | tee -a "$RES"
		printf '%s\n' "$new" "$sp_new" | sed '/^$/d; s/^/    /' | tee -a "$RES"
		[ $rc = 0 ] && rc=$E_FAIL
	else
		echo "PASS $name: builds with W=1 (${secs} s, $what), no new warning; sparse clean on $(printf '%s\n' "$cfiles" | grep -c .) touched .c files${missing:+ (not built by $CONFIG:$missing)}" |
			tee -a "$RES"
	fi
done
tgit checkout -q queue
exit $rc
