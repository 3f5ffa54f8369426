#!/bin/bash
# build-each.sh: prove that every patch of the queue builds (bisectability)
# and adds no compiler or sparse warning.
#
#   build/build-each.sh [--tree DIR] [--config NAME] [--out DIR]
#                         [--logdir DIR] [--from-tip [--tip-warnings FILE]]
#                         [--w1-config NAME]
#
# Builds every state of base..queue (the base with patches 1..k), with
# ccache when installed.  Without --from-tip it walks forward: the first
# patch gets a full make of the kernel and modules, every later one the
# objects it can affect.  With --from-tip, OUT is a full build of the tip
# of the queue in this tree with this configuration (the rt gate's, whose
# compiler warnings --tip-warnings gives, with the <log>.targets beside
# it): the walk then goes back from the tip, patch by patch, and no state
# needs a full make.  Each step compiles
# the objects the difference between the two states can affect
# (build/affected-objects.py: the objects of the .c files the patch
# touches, the directories whose Makefile it changes, and of the objects
# that include a header it changes those that use a symbol the change
# touches), or makes everything when that tool says FULL (for a Kconfig
# change only when the reconfigured build's .config differs from the one
# before).  A make of the targets that fails is repeated as a full make
# (for an object that cannot be made alone; a real error fails both).
# Without this, every patch that touches a header such as
# <linux/slab.h> would recompile most of the kernel; the objects skipped
# are compiled by the next full make, against that tree.  The tip of the
# queue is built in full by the build-debug, rt and lean gates of test.sh
# (rt's configuration includes this check configuration).
# A patch fails when:
#  - the build fails;
#  - the patch brings a compiler warning.  Every build's warnings are kept
#    by target (build.sh's <log>.targets), and a view of every target's
#    warnings is carried along the walk (from the tip's full build walking
#    back, from the first patch's full make forward).  A patch is charged
#    with the warnings that the targets compiled on its one side have on
#    the patch's side and not on the other (build/target-warnings.py step),
#    and walking back with every warning of an object of a file it adds.
#    Targets that were not compiled warn the same on both sides (they are
#    not affected).  The first patch is judged by the view at its state
#    against a full build of the base, made only when that view has any
#    warning.  Warnings are compared without line numbers, so moved code
#    does not count as new;
#  - the .c files it touches get a new W=1 compiler or sparse warning
#    (each such file is compiled with W=1 C=2 before and after the patch,
#    in OUT-w1, a second build directory with the same configuration, at
#    each state beside its build, all of a state's files by one make: a
#    state gives the "after" of its patch and the "before" of the next).
# --w1-config NAME: the W=1/sparse compiles in OUT-w1 use that configuration
# instead of the build's (test.sh: the build on PREEMPT_RT, the W=1 check
# on the w1 configuration, check's with kmemleak and the BPF syscall, so
# that every patch's touched files are compiled both with and without
# PREEMPT_RT).
# The tree is left at the tip of queue; the build directory holds the last
# state built (with --from-tip the first patch's: a make brings it to the
# tip again, as make goes by the files' times).  One line per patch goes to
# stdout and to LOGDIR/build-each.results, in the order of the patches once
# every state is built; a build that fails stops the walk.
# Exit: 0 all patches ok, 1 new warnings, 2 usage, 3 a build failed.
. "$(dirname "$0")/../lib/lib.sh"

SRC=$TREE_DIR
CONFIG=debug
BUILD=
LOGDIR=$LOGS
FROM_TIP=
W1CONFIG=
TIP_WARN=
while [ $# -gt 0 ]; do
	case $1 in
	--tree) SRC=$2; shift 2 ;;
	--config) CONFIG=$2; shift 2 ;;
	--out) BUILD=$2; shift 2 ;;
	--logdir) LOGDIR=$2; shift 2 ;;
	--from-tip) FROM_TIP=1; shift ;;
	--w1-config) W1CONFIG=$2; shift 2 ;;
	--tip-warnings) TIP_WARN=$2; shift 2 ;;
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

kbuild_env gcc

# w1_set FILE.c...: compile those files of the tree as checked out with W=1
# and sparse, and keep their normalised warnings (w1_get reads them).
# They are compiled in a build directory of their own ($W1BUILD, same
# configuration), so that the W=1 objects never replace the build's (that
# would recompile them in the next build), beside the build, by one make
# for all of them (-j2, -Otarget: each object's output in one piece, its
# "  CC  file.o" line first, then the compiler's warnings, then sparse's
# "  CHECK  file.c" and its warnings).  One make, not one per file: each
# make of a kernel tree first runs some fifty compiler and assembler
# probes and looks at objtool (a make with nothing to do took 3.2-3.6 s
# here, 766 processes).  A file's result at a commit is kept (in files:
# this runs in the background): the "after" of one patch is the "before"
# of the next one that touches the file.
W1_CACHE=$LOGDIR/w1-cache
W1BUILD=$BUILD-w1
rm -rf "$W1_CACHE"
# w1_sync: give the W=1 directory the build's configuration as it is now
# (a patch may add an option: Kbuild syncs the copy when it is newer than
# its auto.conf).  Called in the foreground, never while build.sh rewrites
# it.  With --w1-config another configuration than the build's: configured
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
	"$ROOT/build/build.sh" --tree "$SRC" --config "$W1CONFIG" --out "$W1BUILD" --config-only \
		--log "$LOGDIR/build-each-w1-config.log" >/dev/null || return 1
	W1_KC=$kc
}
# w1_set's split of the make's output by file: build/w1-split.awk.
w1_set() {
	local f key head todo=() objs=() d rc
	head=$(tgit rev-parse HEAD)
	for f in "$@"; do
		[ -f "$SRC/$f" ] || continue
		key=$W1_CACHE/$head/${f//\//_}
		[ -f "$key" ] && continue
		todo+=("$f")
		objs+=("${f%.c}.o")
		# An object that is up to date would give sparse's warnings
		# (C=2) but not the compiler's.
		rm -f "$W1BUILD/${f%.c}.o"
	done
	[ ${#todo[@]} -gt 0 ] || return 0
	d=$W1_CACHE/$head/split
	rm -rf "$d" && mkdir -p "$d" || return 1
	# -k: an object that fails, or that the configuration does not
	# build (a touched file of tools/, or mm/kasan/ without KASAN: make
	# has no rule for it or it cannot compile), does not stop the
	# others in its directory.
	make -C "$SRC" O="$W1BUILD" CC="$CC" W=1 C=2 -k -j2 -Otarget "${objs[@]}" \
		>"$d/make.log" 2>&1
	rc=$?
	awk -v src="$SRC" -v dir="$d" -v files="${todo[*]}" -f "$ROOT/build/w1-split.awk" "$d/make.log"
	for f in "${todo[@]}"; do
		key=$W1_CACHE/$head/${f//\//_}
		if [ $rc != 0 ] && [ ! -f "$W1BUILD/${f%.c}.o" ]; then
			# Not compiled by a make that failed: a failure in one
			# directory can keep make from going into another
			# ("not remade because of errors").  This file gets a
			# make of its own, as every file did before, and what
			# it says is its result (nothing, for a file that
			# make cannot build at all).
			mkdir -p "$d/alone" && rm -f "$d"/alone/*.w
			make -C "$SRC" O="$W1BUILD" CC="$CC" W=1 C=2 "${f%.c}.o" \
				>"$d/alone-${f//\//_}.log" 2>&1
			awk -v src="$SRC" -v dir="$d/alone" -v files="$f" -f "$ROOT/build/w1-split.awk" \
				"$d/alone-${f//\//_}.log"
			cat "$d/alone/${f//\//_}.w" "$d/alone/-.w" >"$key.tmp" 2>/dev/null
		else
			cat "$d/${f//\//_}.w" "$d/-.w" >"$key.tmp" 2>/dev/null
		fi
		mv "$key.tmp" "$key"
	done
}
# w1_state K: the W=1/sparse results needed at state K (checked out), in
# the foreground.
w1_state() {
	w1_sync || return 1
	# shellcheck disable=SC2046 # one word per file name
	w1_set $(w1_files "$1")
}

# w1_get COMMIT FILE.c...: the results w1_set found for those files at that
# commit (a file that does not exist there has none; a result that is
# missing is reported as a warning, so that it cannot pass unseen).
w1_get() {
	local c=$1 f key
	shift
	for f in "$@"; do
		key=$W1_CACHE/$c/${f//\//_}
		if [ -f "$key" ]; then
			cat "$key"
		elif tgit cat-file -e "$c:$f" 2>/dev/null; then
			echo "$f: build-each.sh: no W=1/sparse result at ${c:0:12}"
		fi
	done | sed '/^$/d' | sort -u
}

# The view: the warnings of every target at the state the walk is at.
VIEW=$LOGDIR/build-each.view
# charge K STATE-LOG DIRECTION: charge patch K with what the targets of
# STATE-LOG.targets change in the view (build/target-warnings.py step),
# into <patch K's log>.charged; the view moves to STATE-LOG's state.
charge() {
	local k=$1 st=$2 dir=$3 gone=() f
	# Walking back from state K, the files patch K adds are gone; walking
	# forward to state K, the files it deletes.
	local filt=A
	[ "$dir" = --forward ] && filt=D
	while IFS= read -r f; do
		[ -n "$f" ] && gone+=(--gone "${f%.c}.o")
	done < <(tgit diff-tree --no-commit-id --diff-filter=$filt --name-only -r "${C[k]}" | grep '\.c$' || true)
	python3 "$ROOT/build/target-warnings.py" step "$VIEW" "$st.targets" "$dir" "${gone[@]}" \
		>"$LOGDIR/build-each-${NAME[k]}.log.charged"
}
# charge_first: patch 1, the view at its state against the base's full
# build (made only when the view has any warning).
charge_first() {
	local out=$LOGDIR/build-each-${NAME[1]}.log.charged all
	all=$(cut -f2- "$VIEW" | sed '/^$/d' | sort -u)
	if [ -z "$all" ]; then
		: >"$out"
		return 0
	fi
	base_warnings || return 1
	comm -13 "$BASE_WARN" <(printf '%s\n' "$all") >"$out"
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
	"$ROOT/build/build.sh" --tree "$wt" --config "$CONFIG" --out "$BUILD-base" \
		--log "$LOGDIR/build-each-0000-base.log" >/dev/null || return 1
	cp "$LOGDIR/build-each-0000-base.log.warnings" "$BASE_WARN"
}

commits=$(tgit rev-list --reverse base..queue)
total=$(printf '%s\n' "$commits" | grep -c . || true)
rm -f "$BASE_WARN" "$VIEW" "$LOGDIR"/build-each-*.log.charged
mkdir -p "$W1BUILD"
W1BUILD=$(cd "$W1BUILD" && pwd)
if [ -n "$FROM_TIP" ]; then
	[ "$(tgit rev-parse HEAD)" = "$(tgit rev-parse queue)" ] ||
		die $E_USAGE "build-each.sh: --from-tip: $SRC is not at the tip of queue"
	if [ ! -f "$BUILD/vmlinux" ] || [ ! -f "$BUILD/.config" ]; then
		die $E_USAGE "build-each.sh: --from-tip: $BUILD is not a built kernel"
	fi
fi
# The tip's compiler warnings are part of the walk from it.
if [ -n "$FROM_TIP" ] && [ -z "$TIP_WARN" ]; then
	die $E_USAGE "build-each.sh: --from-tip needs --tip-warnings (the tip build's <log>.warnings)"
fi
[ -z "$TIP_WARN" ] || [ -n "$FROM_TIP" ] ||
	die $E_USAGE "build-each.sh: --tip-warnings is for --from-tip"
[ -z "$TIP_WARN" ] || [ -f "$TIP_WARN" ] ||
	die $E_USAGE "build-each.sh: --tip-warnings: no file $TIP_WARN"
[ -z "$TIP_WARN" ] || [ -f "${TIP_WARN%.warnings}.targets" ] ||
	die $E_USAGE "build-each.sh: --tip-warnings: no ${TIP_WARN%.warnings}.targets beside it (build.sh writes both)"
# config_changed OLD NEW: the symbols (without CONFIG_, comma-separated)
# whose value differs between two .config files.
config_changed() {
	local re='^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$'
	diff <(grep -E "$re" "$1" | sort) <(grep -E "$re" "$2" | sort) |
		sed -nE 's/^[<>] (# )?CONFIG_([A-Za-z0-9_]+)[= ].*/\2/p' | sort -u | paste -sd, -
}

# The states of the tree: 0 is the base, k the base with patches 1..k.
# C[k] is the commit, NAME[k] the patch's name, FILES[k] the files patch k
# touches and CFILES[k] its .c files.
C=([0]=$(tgit rev-parse base))
NAME=() FILES=() CFILES=()
k=0
for c in $commits; do
	k=$((k + 1))
	C[k]=$c
	NAME[k]=$(printf '%04d-%s' "$k" "$(tgit log -1 --format=%f "$c" | cut -c1-52)")
	FILES[k]=$(tgit diff-tree --no-commit-id --name-only -r "$c")
	CFILES[k]=$(printf '%s\n' "${FILES[k]}" | grep '\.c$' || true)
done
# Per built state: the seconds its build took and what was built.
SECS=() WHAT=()

# w1_files K: the .c files whose W=1/sparse result is needed at state K:
# patch K's (its "after") and patch K+1's (its "before").
w1_files() {
	printf '%s\n' "${CFILES[$1]:-}" "${CFILES[$(($1 + 1))]:-}" | sed '/^$/d' | sort -u
}

# build_state K PREV: check out state K and build it, the build directory
# being at state PREV (empty: not configured for this tree yet, a full
# make).  The W=1/sparse compiles of w1_files K run beside the build.
# Returns 1 when the build fails (the log says why), 2 when the tool that
# picks the objects fails.
build_state() {
	local k=$1 p=$2 c=${C[$1]} log t0 targets what from keep kconf note aff head n w1_pid=''
	log=$LOGDIR/build-each-${NAME[k]}.log
	tgit checkout -q "$c" || return 4
	say PATCH "[$k/$total] ${NAME[k]}"
	t0=$(date +%s)
	targets="bzImage modules"
	what="full make"
	keep=()
	if [ -n "$p" ]; then
		# Configured here whenever Kconfig changes: build.sh need not.
		keep=(--keep-config)
		from=()
		[ "${C[p]}" = "$(tgit rev-parse "$c^")" ] || from=(--from "${C[p]}")
		# A Kconfig change: reconfigure, and the objects and directories
		# that use a symbol whose value changed are affected (nothing, for
		# a "select" of an option that is on anyway).
		kconf=()
		note=
		if grep -q 'Kconfig' <<<"$(tgit diff --name-only "${C[p]}" "$c")"; then
			cp "$BUILD/.config" "$BUILD/config.prev"
			"$ROOT/build/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
				--config-only --log "$log.config" >/dev/null || return 3
			chg=$(config_changed "$BUILD/config.prev" "$BUILD/.config")
			kconf=(--config-changed "$chg")
			note=", configuration changes: ${chg:-none}"
		fi
		aff=$("$ROOT/build/affected-objects.py" --tree "$SRC" --build "$BUILD" \
			--commit "$c" "${from[@]}" "${kconf[@]}" 2>"$log.affected-err") || return 2
		head=$(printf '%s\n' "$aff" | head -1)
		[ ${#from[@]} = 0 ] || note="$note, from patch $p"
		printf '%s\n' "$aff" >"$log.affected"
		case $head in
		FULL:*) what="full make: $(printf "%s" "${head#FULL: }" | cut -c1-90)" ;;
		OBJECTS*)
			targets=$(printf '%s\n' "$aff" | tail -n +2 | tr '\n' ' ')
			n=$(printf '%s\n' "$aff" | tail -n +2 | grep -c . || true)
			what="$n affected targets$note"
			# Nothing to compile (a change to comments only, say).
			[ "$n" = 0 ] && targets="mm/slub.o"
			;;
		esac
	fi
	# The W=1 and sparse compiles at this state run beside the build (after
	# it when the configuration changes here).
	if [ -n "$p" ] && ! grep -q 'Kconfig' <<<"$(tgit diff --name-only "${C[p]}" "$c")"; then
		w1_sync
		# shellcheck disable=SC2046 # one word per file name
		w1_set $(w1_files "$k") &
		w1_pid=$!
	fi
	if ! "$ROOT/build/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
		"${keep[@]}" --targets "$targets" --log "$log" >/dev/null; then
		# Some objects cannot be made alone (affected-objects.py knows the
		# boot image's; this catches any other): a full make decides.  A
		# real error fails there too.
		[ "$targets" = "bzImage modules" ] || cp "$log" "$log.alone"
		if [ "$targets" = "bzImage modules" ] ||
			! "$ROOT/build/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
				"${keep[@]}" --targets "bzImage modules" --log "$log" >/dev/null; then
			[ -z "$w1_pid" ] || wait "$w1_pid"
			return 1
		fi
		what="full make: the $what failed alone (log: $log.alone)"
	fi
	SECS[k]=$(( $(date +%s) - t0 ))
	WHAT[k]=$what
	if [ -n "$w1_pid" ]; then
		wait "$w1_pid"
	else
		w1_state "$k"
	fi
}

# The order of the states.  From the tip (--from-tip): the tip is built
# already, so the walk goes back from it, patch by patch (each step
# compiles what one patch's change affects, as forward), and the base is
# visited last for the W=1 results before the first patch.  Otherwise the
# base first (configured there), then a full make of patch 1, then forward.
order=()
if [ -n "$FROM_TIP" ]; then
	for ((k = total; k >= 0; k--)); do order+=("$k"); done
else
	for ((k = 0; k <= total; k++)); do order+=("$k"); done
fi
rc=0
failed=
at=
for k in "${order[@]}"; do
	if [ "$k" = 0 ]; then
		tgit checkout -q "${C[0]}" ||
			{ rc=$E_BUILD; failed=0; echo "FAIL: cannot check out the base" | tee -a "$RES"; break; }
		if [ -z "$FROM_TIP" ]; then
			# Configure at the base, so that the W=1 checks work.
			"$ROOT/build/build.sh" --tree "$SRC" --config "$CONFIG" --out "$BUILD" \
				--config-only --log "$LOGDIR/build-each-config.log" >/dev/null ||
				{ rc=$E_BUILD; failed=0; echo "FAIL: cannot configure the base" | tee -a "$RES"; break; }
		fi
		w1_state 0
		continue
	fi
	if [ -n "$FROM_TIP" ] && [ "$k" = "$total" ]; then
		# The tip: the caller's build (its warnings: --tip-warnings).
		tgit checkout -q "${C[k]}" ||
			{ rc=$E_BUILD; failed=$k; echo "FAIL ${NAME[k]}: cannot check it out" | tee -a "$RES"; break; }
		say PATCH "[$k/$total] ${NAME[k]}"
		SECS[k]=0
		WHAT[k]="the tip build this walk starts from"
		log=$LOGDIR/build-each-${NAME[k]}.log
		if [ -n "$TIP_WARN" ]; then cp "$TIP_WARN" "$log.warnings"; else : >"$log.warnings"; fi
		cp "${TIP_WARN%.warnings}.targets" "$VIEW"
		# A queue of one patch: the view is at its state already.
		if [ "$k" = 1 ] && ! charge_first; then
			rc=$E_BUILD; failed=1
			echo "FAIL ${NAME[1]}: cannot build the base for reference" | tee -a "$RES"
			break
		fi
		w1_state "$k"
		at=$k
		continue
	fi
	build_state "$k" "$at"
	brc=$?
	if [ $brc = 0 ]; then
		log=$LOGDIR/build-each-${NAME[k]}.log
		if [ -n "$FROM_TIP" ]; then
			charge $((k + 1)) "$log" --back || brc=5
		elif [ -z "$at" ]; then
			cp "$log.targets" "$VIEW" || brc=5
		else
			charge "$k" "$log" --forward || brc=5
		fi
		# The view is at state 1: patch 1's turn.
		if [ $brc = 0 ] && [ "$k" = 1 ]; then
			charge_first || brc=6
		fi
	fi
	if [ $brc != 0 ]; then
		log=$LOGDIR/build-each-${NAME[k]}.log
		case $brc in
		2) echo "FAIL ${NAME[k]}: affected-objects.py failed: $(cat "$log.affected-err")" | tee -a "$RES" ;;
		3) echo "FAIL ${NAME[k]}: cannot configure (log: $log.config)" | tee -a "$RES" ;;
		4) echo "FAIL ${NAME[k]}: cannot check it out" | tee -a "$RES" ;;
		5) echo "FAIL ${NAME[k]}: cannot sort its warnings by target (log: $log.targets)" | tee -a "$RES" ;;
		6) echo "FAIL ${NAME[1]}: cannot build the base for reference" | tee -a "$RES" ;;
		*) echo "FAIL ${NAME[k]} does not build (log: $log)" | tee -a "$RES" ;;
		esac
		rc=$E_BUILD
		failed=$k
		break
	fi
	at=$k
done

# The verdicts, in the order of the patches: patch K needs states K and
# K-1 (the W=1 results before and after it).
for ((k = 1; k <= total; k++)); do
	[ -n "${SECS[k]:-}" ] || continue
	if [ -n "$failed" ]; then
		# A failed build stopped the walk: only the patches whose two
		# states were both built have a verdict (walking back, patch
		# failed+1's "before" is the state that failed).
		if [ -n "$FROM_TIP" ] && [ "$k" -le $((failed + 1)) ]; then continue; fi
		if [ -z "$FROM_TIP" ] && [ "$k" -ge "$failed" ]; then continue; fi
	fi
	log=$LOGDIR/build-each-${NAME[k]}.log
	if [ ! -f "$log.charged" ]; then
		echo "FAIL ${NAME[k]}: its compiler warnings were not judged" | tee -a "$RES"
		[ $rc = 0 ] && rc=$E_FAIL
		continue
	fi
	new=$(cat "$log.charged")
	# shellcheck disable=SC2086 # one word per file name
	w1_new=$(comm -13 <(w1_get "${C[k - 1]}" ${CFILES[k]}) <(w1_get "${C[k]}" ${CFILES[k]}))
	missing=
	for f in ${CFILES[k]}; do
		[ -f "$BUILD/${f%.c}.o" ] || missing="$missing ${f}"
	done
	if [ -n "$new" ] || [ -n "$w1_new" ]; then
		echo "FAIL ${NAME[k]}: new warnings" | tee -a "$RES"
		printf '%s\n' "$new" "$w1_new" | sed '/^$/d' | sort -u | sed 's/^/    /' | tee -a "$RES"
		[ $rc = 0 ] && rc=$E_FAIL
	else
		echo "PASS ${NAME[k]}: builds (${SECS[k]} s, ${WHAT[k]}), no new warning; W=1+sparse clean on $(printf '%s\n' "${CFILES[k]}" | grep -c .) touched .c files${missing:+ (not built by $CONFIG:$missing)}" |
			tee -a "$RES"
	fi
done
if [ -n "$failed" ] && [ "$failed" != 0 ]; then
	if [ -n "$FROM_TIP" ]; then
		nj=
		[ "$failed" -le 1 ] || nj="1 to $((failed - 1))"
		[ "$failed" -ge "$total" ] || nj="${nj:+$nj and }$((failed + 1))"
		[ -z "$nj" ] ||
			echo "patches $nj not judged: the walk back from the tip stopped at patch $failed" | tee -a "$RES"
	elif [ "$failed" -lt "$total" ]; then
		echo "patches $((failed + 1)) to $total not judged: the walk stopped at patch $failed" | tee -a "$RES"
	fi
fi
# On branch queue again (detached at it in a worktree, where the branch
# is checked out elsewhere).
tgit checkout -q queue 2>/dev/null || tgit checkout -q --detach queue
exit $rc
