#!/bin/bash
# build-each.sh: prove that every patch of the queue builds (bisectability)
# and adds no compiler or sparse warning.
#
#   scripts/build-each.sh [--tree DIR] [--config NAME] [--out DIR]
#                         [--logdir DIR] [--from-tip] [--w1-config NAME]
#
# Checks out each commit of base..queue in order and builds it (ccache when
# installed).  The first patch gets a full make of the kernel and modules
# (base and patch).  With --from-tip, OUT is a full build of the tip of
# the queue in this tree with this configuration (the rt gate's): the
# first patch then gets the objects that the difference between the tip
# and it can affect, as a later patch gets those of its own change, and no
# full make is needed.  Every later patch gets the objects it can affect
# (scripts/affected-objects.py: the objects of the .c files it touches, the
# directories whose Makefile it changes, and of the objects that include a
# header it changes those that use a symbol the change touches), or a full
# make when that tool says FULL (for a Kconfig change to existing options
# only when the reconfigured build's .config differs from the one before
# the patch).  Without this, every patch that touches a
# header such as <linux/slab.h> would recompile most of the kernel; the
# objects skipped are compiled by the next full make, against that tree.
# The tip of the queue is built in full by the build-debug, rt and lean
# gates of test.sh (rt's configuration includes this check configuration).
# A patch fails when:
#  - the build fails;
#  - the build prints a warning the base does not have (the base reference
#    is built only when a patch build prints any warning; warnings are
#    compared without line numbers, so moved code does not count as new);
#  - the .c files it touches get a new W=1 compiler or sparse warning
#    (each such file is compiled with W=1 C=2 before and after the patch,
#    in OUT-w1, a second build directory with the same configuration; the
#    "after" compile runs beside the patch's build).
# --w1-config NAME: the W=1/sparse compiles in OUT-w1 use that configuration
# instead of the build's (test.sh: the build on PREEMPT_RT, the W=1 check
# on the check configuration, so that every patch's touched files are
# compiled both with and without PREEMPT_RT).
# The tree is left at the tip of queue, built.  One line per patch goes to
# stdout and to LOGDIR/build-each.results.
# Exit: 0 all patches ok, 1 new warnings, 2 usage, 3 a build failed.
. "$(dirname "$0")/lib.sh"

SRC=$TREE_DIR
CONFIG=debug
BUILD=
LOGDIR=$LOGS
FROM_TIP=
W1CONFIG=
while [ $# -gt 0 ]; do
	case $1 in
	--tree) SRC=$2; shift 2 ;;
	--config) CONFIG=$2; shift 2 ;;
	--out) BUILD=$2; shift 2 ;;
	--logdir) LOGDIR=$2; shift 2 ;;
	--from-tip) FROM_TIP=1; shift ;;
	--w1-config) W1CONFIG=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "build-each.sh: unknown argument '$1'" ;;
	esac
done
TREE_DIR=$SRC
W1CONFIG=${W1CONFIG:-$CONFIG}
BUILD=${BUILD:-$OUT/build-$CONFIG}
mkdir -p "$LOGDIR" "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
[ -e "$SRC/.git" ] || die $E_USAGE "no git tree at $SRC"
# shellcheck disable=SC2143 # with pipefail, grep -q could SIGPIPE git and fail the pipe
[ -z "$(tgit status --porcelain --ignored | grep -v '^!! \.checkpatch-camelcase\.')" ] || die $E_USAGE "$SRC has uncommitted changes"
command -v sparse >/dev/null || need_pkgs sparse
command -v ctags-universal >/dev/null || need_pkgs universal-ctags
RES=$LOGDIR/build-each.results
: >"$RES"

CC=gcc
command -v ccache >/dev/null && CC="ccache gcc"
export CCACHE_BASEDIR=$OUT CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="Wed Jan  1 00:00:00 UTC 2025"
export KBUILD_BUILD_USER=queue KBUILD_BUILD_HOST=sheaves

# w1_set FILE.c...: normalised W=1 compiler and sparse warnings of those
# files in the tree as checked out.  They are compiled in a build directory
# of their own ($W1BUILD, same configuration), so that the W=1 objects never
# replace the build's (that would recompile them in the next build) and so
# that this compile runs on the second core while the build links.  A
# file's result at a commit is kept (in files: this runs in command
# substitutions and in the background): the "after" of one patch is the
# "before" of the next one that touches the file.
W1_CACHE=$LOGDIR/w1-cache
W1BUILD=$BUILD-w1
rm -rf "$W1_CACHE"
# w1_sync: give $W1BUILD the build's configuration as it is now (a patch
# may add an option: Kbuild syncs the copy when it is newer than its
# auto.conf).  Called in the foreground, never while build.sh rewrites it.
# With --w1-config another configuration than the build's: configured
# with it (again when the tree's Kconfig files have changed since).
W1_KC=
w1_sync() {
	local kc
	if [ "$W1CONFIG" = "$CONFIG" ]; then
		cmp -s "$BUILD/.config" "$W1BUILD/.config" || cp "$BUILD/.config" "$W1BUILD/.config"
		return 0
	fi
	kc=$(tgit ls-files -s -- 'Kconfig*' '*/Kconfig*' | sha1sum)
	[ "$kc" = "$W1_KC" ] && return 0
	"$ROOT/scripts/build.sh" --tree "$SRC" --config "$W1CONFIG" --out "$W1BUILD" --config-only \
		--log "$LOGDIR/build-each-w1-config.log" >/dev/null || return 1
	W1_KC=$kc
}
w1_set() {
	local f o key head
	head=$(tgit rev-parse HEAD)
	for f in "$@"; do
		o=${f%.c}.o
		[ -f "$SRC/$f" ] || continue
		key=$W1_CACHE/$head/${f//\//_}
		if [ ! -f "$key" ]; then
			mkdir -p "${key%/*}"
			# An object that is up to date would give sparse's warnings
			# (C=2) but not the compiler's.
			rm -f "$W1BUILD/$o"
			make -C "$SRC" O="$W1BUILD" CC="$CC" W=1 C=2 "$o" 2>&1 >/dev/null |
				grep -E '^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):' |
				sed -E "s#^($SRC/|\.\./)?##; s#^([^:]+):[0-9]+(:[0-9]+)?: #\1: #" >"$key.tmp"
			mv "$key.tmp" "$key"
		fi
		cat "$key"
	done | sed '/^$/d' | sort -u
}

# base_warnings: warnings of a full build of the base in its own worktree
# and build directory (built once, only when a patch build warned at all).
BASE_WARN=$LOGDIR/warnings-base
base_warnings() {
	[ -f "$BASE_WARN" ] && return 0
	local wt=$OUT/build-each-base-tree
	say BASE "a patch build warned: building the base for reference"
	rm -rf "$wt"
	tgit worktree prune
	tgit worktree add -q --detach "$wt" base || return 1
	"$ROOT/scripts/build.sh" --tree "$wt" --config "$CONFIG" --out "$BUILD-base" \
		--log "$LOGDIR/build-each-0000-base.log" >/dev/null || return 1
	cp "$LOGDIR/build-each-0000-base.log.warnings" "$BASE_WARN"
}

commits=$(tgit rev-list --reverse base..queue)
total=$(printf '%s\n' "$commits" | grep -c . || true)
rm -f "$BASE_WARN"
mkdir -p "$W1BUILD"
W1BUILD=$(cd "$W1BUILD" && pwd)
if [ -n "$FROM_TIP" ]; then
	[ "$(tgit rev-parse HEAD)" = "$(tgit rev-parse queue)" ] ||
		die $E_USAGE "build-each.sh: --from-tip: $SRC is not at the tip of queue"
	if [ ! -f "$BUILD/vmlinux" ] || [ ! -f "$BUILD/.config" ]; then
		die $E_USAGE "build-each.sh: --from-tip: $BUILD is not a built kernel"
	fi
fi
tgit checkout -q base
# Configure at the base, so that W=1 checks before the first patch work
# (the build directory itself keeps the tip's configuration with
# --from-tip: the first patch is compared with that).
if [ -z "$FROM_TIP" ]; then
	"$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" --config-only \
		--log "$LOGDIR/build-each-config.log" >/dev/null
else
	w1_sync
fi || {
	tgit checkout -q queue 2>/dev/null || tgit checkout -q --detach queue
	exit $E_BUILD
}
# config_changed OLD NEW: the symbols (without CONFIG_, comma-separated)
# whose value differs between two .config files.
config_changed() {
	local re='^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$'
	diff <(grep -E "$re" "$1" | sort) <(grep -E "$re" "$2" | sort) |
		sed -nE 's/^[<>] (# )?CONFIG_([A-Za-z0-9_]+)[= ].*/\2/p' | sort -u | paste -sd, -
}
prev=$(tgit rev-parse queue)

rc=0
i=0
for c in $commits; do
	i=$((i + 1))
	name=$(printf '%04d-%s' "$i" "$(tgit log -1 --format=%f "$c" | cut -c1-52)")
	files=$(tgit diff-tree --no-commit-id --name-only -r "$c")
	cfiles=$(printf '%s\n' "$files" | grep '\.c$' || true)
	w1_sync
	# shellcheck disable=SC2086 # one word per file name
	w1_old=$(w1_set $cfiles)
	tgit checkout -q "$c"
	say PATCH "[$i/$total] $name"
	log=$LOGDIR/build-each-$name.log
	t0=$(date +%s)
	targets="bzImage modules"
	what="full make"
	# The build directory is at $prev: the parent, or with --from-tip the
	# tip for the first patch.
	from=()
	[ "$prev" = "$(tgit rev-parse "$c^")" ] || from=(--from "$prev")
	keep=()
	if [ "$i" != 1 ] || [ -n "$FROM_TIP" ]; then
		# Configured here whenever Kconfig changes: build.sh need not.
		keep=(--keep-config)
		# A Kconfig change: reconfigure, and the objects and directories
		# that use a symbol whose value changed are affected (nothing, for
		# a "select" of an option that is on anyway).
		kconf=()
		kconf_note=
		if tgit diff --name-only "$prev" "$c" | grep -q 'Kconfig'; then
			cp "$BUILD/.config" "$BUILD/config.prev"
			if ! "$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
				--config-only --log "$log.config" >/dev/null; then
				echo "FAIL $name: cannot configure (log: $log.config)" | tee -a "$RES"
				rc=$E_BUILD
				break
			fi
			chg=$(config_changed "$BUILD/config.prev" "$BUILD/.config")
			kconf=(--config-changed "$chg")
			kconf_note=", configuration changes: ${chg:-none}"
		fi
		if ! aff=$("$ROOT/scripts/affected-objects.py" --tree "$SRC" --build "$BUILD" \
			--commit "$c" "${from[@]}" "${kconf[@]}" 2>"$log.affected-err"); then
			echo "FAIL $name: affected-objects.py failed: $(cat "$log.affected-err")" | tee -a "$RES"
			rc=$E_BUILD
			break
		fi
		head=$(printf '%s\n' "$aff" | head -1)
		[ ${#from[@]} = 0 ] || kconf_note="$kconf_note, from the tip"
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
	fi
	# The W=1 and sparse compile of the touched files at this commit runs
	# beside the build (the configuration is the one before the patch
	# when the patch changes Kconfig: then it waits for the build).
	w1_after=$log.w1
	w1_pid=
	if [ -n "$cfiles" ] && ! printf '%s\n' "$files" | grep -q 'Kconfig'; then
		w1_sync
		# shellcheck disable=SC2086 # one word per file name
		w1_set $cfiles >"$w1_after" &
		w1_pid=$!
	fi
	if ! "$ROOT/scripts/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
		"${keep[@]}" --targets "$targets" --log "$log" >/dev/null; then
		[ -z "$w1_pid" ] || wait "$w1_pid"
		echo "FAIL $name does not build (log: $log)" | tee -a "$RES"
		rc=$E_BUILD
		break
	fi
	secs=$(( $(date +%s) - t0 ))
	if [ -n "$w1_pid" ]; then
		wait "$w1_pid"
	else
		w1_sync
		# shellcheck disable=SC2086 # one word per file name
		w1_set $cfiles >"$w1_after"
	fi
	new=
	if [ -s "$log.warnings" ]; then
		base_warnings || { echo "FAIL $name: cannot build the base for reference" | tee -a "$RES"; rc=$E_BUILD; break; }
		new=$(comm -13 "$BASE_WARN" "$log.warnings")
	fi
	w1_new=$(comm -13 <(printf '%s\n' "$w1_old" | sed '/^$/d') \
		<(sed '/^$/d' "$w1_after"))
	missing=
	for f in $cfiles; do
		[ -f "$BUILD/${f%.c}.o" ] || missing="$missing ${f}"
	done
	if [ -n "$new" ] || [ -n "$w1_new" ]; then
		echo "FAIL $name: new warnings" | tee -a "$RES"
		printf '%s\n' "$new" "$w1_new" | sed '/^$/d; s/^/    /' | tee -a "$RES"
		[ $rc = 0 ] && rc=$E_FAIL
	else
		echo "PASS $name: builds (${secs} s, $what), no new warning; W=1+sparse clean on $(printf '%s\n' "$cfiles" | grep -c .) touched .c files${missing:+ (not built by $CONFIG:$missing)}" |
			tee -a "$RES"
	fi
	prev=$c
done
# On branch queue again (detached at it in a worktree, where the branch
# is checked out elsewhere).
tgit checkout -q queue 2>/dev/null || tgit checkout -q --detach queue
exit $rc
