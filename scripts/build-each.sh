#!/bin/bash
# build-each.sh: prove that every patch of the queue builds (bisectability)
# and adds no compiler or sparse warning.
#
#   scripts/build-each.sh [--tree DIR] [--config NAME] [--out DIR]
#                         [--logdir DIR]
#
# Checks out the tree's base, builds it with W=1 (the reference warning
# set), then checks out each commit of base..queue in order and rebuilds
# incrementally with W=1 (ccache when installed).  A patch fails when the
# build fails or when a warning appears that the base build did not have
# (compared without line numbers, so moved code does not count as new).
# The .c files a patch touches are also run through sparse before and
# after the patch; new sparse warnings fail it as well.  The tree is left
# at the tip of queue, built.  One line per patch goes to stdout and to
# LOGDIR/build-each.results.
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
	-h|--help) sed -n '2,18p' "$0"; exit 0 ;;
	*) die $E_USAGE "build-each.sh: unknown argument '$1'" ;;
	esac
done
TREE_DIR=$SRC
BUILD=${BUILD:-$OUT/build-$CONFIG}
mkdir -p "$LOGDIR" "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
[ -d "$SRC/.git" ] || die $E_USAGE "no git tree at $SRC"
[ -z "$(tgit status --porcelain --ignored | grep -v '^!! \.checkpatch-camelcase\.')" ] || die $E_USAGE "$SRC has uncommitted changes"
command -v sparse >/dev/null || need_pkgs sparse
RES=$LOGDIR/build-each.results
: >"$RES"

CC=gcc
command -v ccache >/dev/null && CC="ccache gcc"
export CCACHE_BASEDIR=$OUT CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="Wed Jan  1 00:00:00 UTC 2025"
export KBUILD_BUILD_USER=queue KBUILD_BUILD_HOST=sheaves

# sparse_set FILE.c...: normalised sparse warnings of those files
sparse_set() {
	local f o
	for f in "$@"; do
		o=${f%.c}.o
		[ -f "$BUILD/$o" ] || continue
		make -C "$SRC" O="$BUILD" CC="$CC" W=1 C=2 "$o" 2>&1 >/dev/null |
			grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' |
			sed -E "s#^($SRC/|\\.\\./)?##; s#^([^:]+):[0-9]+:[0-9]+: #\\1: #"
	done | sort -u
}

commits=$(tgit rev-list --reverse base..queue)
total=$(printf '%s\n' $commits | grep -c . || true)
tgit checkout -q base
"$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" --w1 \
	--log "$LOGDIR/build-each-0000-base.log" || {
	echo "FAIL 0000-base build failed" >>"$RES"
	tgit checkout -q queue
	exit $E_BUILD
}
cp "$LOGDIR/build-each-0000-base.log.warnings" "$LOGDIR/warnings-base"
echo "PASS 0000-base $(wc -l <"$LOGDIR/warnings-base") warnings (reference)" >>"$RES"

rc=0
i=0
for c in $commits; do
	i=$((i + 1))
	name=$(printf '%04d-%s' "$i" "$(tgit log -1 --format=%f "$c" | cut -c1-52)")
	files=$(tgit diff-tree --no-commit-id --name-only -r "$c")
	cfiles=$(printf '%s\n' $files | grep '\.c$' || true)
	# shellcheck disable=SC2086
	sp_old=$(sparse_set $cfiles)
	tgit checkout -q "$c"
	say PATCH "[$i/$total] $name"
	log=$LOGDIR/build-each-$name.log
	if ! "$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
		--w1 --log "$log" >/dev/null; then
		echo "FAIL $name does not build (log: $log)" | tee -a "$RES"
		rc=$E_BUILD
		break
	fi
	new=$(comm -13 "$LOGDIR/warnings-base" "$log.warnings")
	# shellcheck disable=SC2086
	sp_new=$(comm -13 <(printf '%s\n' "$sp_old" | sed '/^$/d') \
		<(sparse_set $cfiles | sed '/^$/d'))
	# The touched .c files must have been compiled by this config.
	missing=
	for f in $cfiles; do
		[ -f "$BUILD/${f%.c}.o" ] || missing="$missing ${f}"
	done
	if [ -n "$new" ] || [ -n "$sp_new" ]; then
		echo "FAIL $name: new warnings" | tee -a "$RES"
		printf '%s\n' "$new" "$sp_new" | sed '/^$/d; s/^/    /' | tee -a "$RES"
		[ $rc = 0 ] && rc=$E_FAIL
	else
		echo "PASS $name builds, no new W=1 or sparse warnings${missing:+ (not built by $CONFIG:$missing)}" |
			tee -a "$RES"
	fi
	# Keep each step's warnings relative to the base (a warning fixed by a
	# later patch is fine; one introduced and kept is reported once).
done
tgit checkout -q queue
if [ $rc = 0 ] && [ "$(tgit rev-parse HEAD)" != "$(tgit rev-parse "${c:-base}")" ]; then
	die $E_USAGE "queue moved while building"
fi
exit $rc
