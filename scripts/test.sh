#!/bin/bash
# test.sh: every gate of the queue, on a fresh application of patches/.
#
#   scripts/test.sh [--only GATE[,GATE...]] [--smp N] [--workdir DIR]
#
# Gates, one after the other: lint (series and patch headers; the
# checks of scripts/lint-scripts.sh: shellcheck, pyflakes), apply (fuzz 0
# onto a fresh base), tooling (tests/), export (re-export is a no-op),
# checkpatch (--strict, per patch), build-debug (the debug kernel at the
# tip), kunit (slab suites as modules under QEMU), meminit (test_meminit
# with init_on_alloc/free), smoke (boot with panic_on_warn=1 and a
# kfree_rcu() storm, kmemleak scans must find nothing, console scanned for
# splats), soak (scripts/soak.sh, shape numa2 for 3 minutes: the stress
# module under CPU and memory hotplug, fault injection and memory
# pressure), rt (PREEMPT_RT build at the tip, in a worktree of its own),
# rt-kunit (local_lock and slub_sheaves on it with 3 NUMA nodes; slub_test
# and slub_sheaves with slab_debug=FZPU slab_nomerge), build-each (every
# patch builds with the rt configuration, walked back from the rt gate's
# tip build; no new warnings; W=1/sparse of the touched files with the
# check configuration), lean (the lean uniprocessor build: !SMP, no NUMA,
# MEMCG, SLUB_DEBUG or SYSFS, random kmalloc caches, no KASAN), lean-kunit
# (on it: local_lock, slub_sheaves, maple tree and XArray self-tests),
# tiny32 (32-bit x86, !SMP, SLUB_TINY; compile only), arm64 (cross-built:
# the directories of the .c files the series touches; compile only).
# The gates run one after the other: builds use both cores, and builds at
# nice 19 beside the TCG guests slowed the guests up to 1.7 times while
# getting little done themselves (measured: see the issue notes), so
# overlapping them gains nothing on two cores.
# Works in out/test/ (or --workdir: its own tree, build directories and
# logs), never in out/linux.  A gate that cannot run because one it needs
# failed counts as failed ("not run").  Prints one line per gate, a table
# of the gates' results and times, and a last line "N passed, N failed".
# Exit: 0 all passed, 1 a gate failed, 2 usage error.
. "$(dirname "$0")/lib.sh"

ALL_GATES=(lint apply tooling export checkpatch build-debug kunit meminit smoke soak rt rt-kunit build-each lean lean-kunit tiny32 arm64)
ONLY=
SMP=2
T=$OUT/test
while [ $# -gt 0 ]; do
	case $1 in
	--only) ONLY=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--workdir) T=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "test.sh: unknown argument '$1'" ;;
	esac
done
for g in ${ONLY//,/ }; do check_choice gate "$g" "${ALL_GATES[@]}"; done

TL=$T/logs
TTREE=$T/linux
mkdir -p "$TL"
PASSED=0
FAILED=0
START=$(date +%s)

want() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

# gate NAME DESCRIPTION CMD...: run CMD, log to $TL/gate-NAME.log
# A gate that cannot run because one it depends on failed is not dropped:
# it counts as failed, "not run".  BLOCKED maps a gate to the reason.
declare -A BLOCKED=()
# block REASON GATE...: the wanted ones of these gates will not run.
block() {
	local reason=$1 g
	shift
	for g in "$@"; do
		# The first reason stays (a gate blocked because the series does
		# not apply is not blocked by the build that did not run either).
		[ -n "${BLOCKED[$g]:-}" ] || BLOCKED[$g]=$reason
	done
}
# Per-gate results for the summary table, in the order the gates ran.
TABLE=()
gate() {
	local name=$1 desc=$2 t0 rc dt
	shift 2
	if ! want "$name"; then
		return 0
	fi
	if [ -n "${BLOCKED[$name]:-}" ]; then
		FAILED=$((FAILED + 1))
		say FAIL "$name: not run, ${BLOCKED[$name]}"
		TABLE+=("$(printf '%-12s %-8s %6s' "$name" "not run" -)")
		return 1
	fi
	t0=$(date +%s)
	say GATE "$name: $desc"
	"$@" 2>&1 | tee "$TL/gate-$name.log" | sed -u 's/^/    | /'
	rc=${PIPESTATUS[0]}
	dt=$(( $(date +%s) - t0 ))
	if [ "$rc" = 0 ]; then
		PASSED=$((PASSED + 1))
		say PASS "$name ($dt s)"
		TABLE+=("$(printf '%-12s %-8s %6s' "$name" passed "$dt")")
	else
		FAILED=$((FAILED + 1))
		say FAIL "$name: exit $rc ($dt s, log: ${TL#"$ROOT"/}/gate-$name.log)"
		TABLE+=("$(printf '%-12s %-8s %6s' "$name" failed "$dt")")
	fi
	return "$rc"
}

# --- gate implementations ----------------------------------------------------
lint_series() {
	local P=$ROOT/patches rc=0 listed files n i num p subj from sob
	[ -f "$P/series" ] || { err "patches/series missing"; return 1; }
	listed=$(grep -v '^#' "$P/series" | sed '/^$/d')
	# shellcheck disable=SC2010 # patch file names; a glob would give its pattern when none match
	files=$({ cd "$P" && ls | grep '\.patch$' | grep -v '^0000-cover-letter\.patch$' | sort; } || true)
	if [ "$listed" != "$files" ]; then
		err "series does not list exactly the patch files, in order:"
		diff <(printf '%s\n' "$listed") <(printf '%s\n' "$files") | sed 's/^/    /' >&2
		rc=1
	fi
	# shellcheck disable=SC2086 # one word per patch, as in the loop below
	n=$(printf '%s\n' $listed | grep -c . || true)
	i=0
	for p in $listed; do
		i=$((i + 1))
		[ -f "$P/$p" ] || continue
		case $p in "$(printf '%04d' $i)"-*) ;; *) err "$p: expected number $(printf '%04d' $i)"; rc=1 ;; esac
		subj=$(sed -n 's/^Subject: //p' "$P/$p" | head -1)
		from=$(sed -n 's/^From: //p' "$P/$p" | head -1)
		# git format-patch pads the number to the width of the total (01/10)
		num=$(printf '%0*d' ${#n} $i)
		[[ $subj == "[PATCH $num/$n] "* ]] || { err "$p: subject '$subj' is not '[PATCH $num/$n] ...'"; rc=1; }
		[[ $subj =~ ^\[PATCH\ [0-9]+/[0-9]+\]\ [a-z0-9_/.-]+:\ [^\ ] ]] ||
			{ err "$p: subject lacks a 'subsystem: summary' form"; rc=1; }
		[ -n "$from" ] || { err "$p: no From:"; rc=1; }
		sob=$(grep -c "^Signed-off-by: $from\$" "$P/$p" || true)
		[ "$sob" -ge 1 ] || { err "$p: no Signed-off-by matching From: $from"; rc=1; }
		# A changelog, not just tags: at least 3 lines of text before the tags.
		body=$(awk '/^$/ && !h {h=1; next} h && /^---$/ {exit} h' "$P/$p" |
			grep -vcE '^(Signed-off-by|Fixes|Link|Cc|Reviewed-by|Acked-by|Tested-by|Reported-by):|^$' || true)
		[ "$body" -ge 3 ] || { err "$p: changelog body too short ($body lines)"; rc=1; }
		echo "  ok  $p"
	done
	if [ "$n" -gt 0 ]; then
		[ -f "$P/0000-cover-letter.patch" ] || { err "cover letter missing"; rc=1; }
		if grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE' "$P/0000-cover-letter.patch" 2>/dev/null; then
			err "cover letter still has placeholders"; rc=1
		fi
	fi
	# Section comments: as patches/sections says, over subjects that exist.
	python3 "$ROOT/scripts/series-sections.py" check "$P" || rc=1
	echo "$n patches in series"
	return $rc
}

# lint: the series and patch headers, then the harness's own scripts.
lint_all() {
	local rc=0
	lint_series || rc=1
	"$ROOT/scripts/lint-scripts.sh" || rc=1
	return $rc
}

apply_fresh() {
	TREE_DIR=$TTREE "$ROOT/scripts/src.sh" --dir "$TTREE"
}

export_noop() {
	local tmp rc=0
	tmp=$(mktemp -d "$OUT/reexport.XXXXXX")
	TREE_DIR=$TTREE "$ROOT/scripts/export.sh" --to "$tmp" || { rm -rf "$tmp"; return 1; }
	for f in "$tmp"/* "$ROOT"/patches/*; do
		b=$(basename "$f")
		case $b in cover-letter.txt|sections) continue ;; esac
		if ! cmp -s "$tmp/$b" "$ROOT/patches/$b"; then
			err "re-export changes $b"
			diff -u "$ROOT/patches/$b" "$tmp/$b" 2>&1 | head -30 >&2
			rc=1
		fi
	done
	rm -rf "$tmp"
	[ $rc = 0 ] && echo "apply + export reproduces patches/ byte for byte"
	return $rc
}

checkpatch_all() {
	local rc=0 p out tot
	# shellcheck disable=SC2013 # one patch file name per line, no blanks
	for p in $(grep -v '^#' "$ROOT/patches/series" | sed '/^$/d'); do
		# scripts/checkpatch-typedefs: typedefs the series adds on purpose.
		# One run: --terse gives one line per message and the total last.
		out=$(cd "$TTREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --terse --show-types \
			--typedefsfile "$ROOT/scripts/checkpatch-typedefs" \
			"$ROOT/patches/$p" 2>&1)
		tot=$(printf '%s\n' "$out" | grep '^total:' | tail -1)
		case $tot in *total:*) ;; *) tot="total: 0 errors, 0 warnings, 0 checks" ;; esac
		echo "  $p: ${tot#*total: }"
		# A helper (spdxcheck.py) that crashes means a check did not run.
		if printf '%s\n' "$out" | grep -qE '^Traceback|Error:'; then
			printf '%s\n' "$out" | grep -E 'Traceback|Error' | sed 's/^/    /'
			err "checkpatch could not run all its checks on $p"
			rc=1
		fi
		if printf '%s\n' "$out" | grep -qE ':(ERROR|WARNING):'; then
			printf '%s\n' "$out" | grep -E ':(ERROR|WARNING|CHECK):' | sed 's/^/    /'
			rc=1
		elif printf '%s\n' "$out" | grep -q ':CHECK:'; then
			printf '%s\n' "$out" | grep ':CHECK:' | sed 's/^/    /'
		fi
	done
	return $rc
}

# rt and build-each share a worktree of their own, $T/linux-each (build-each
# checks out every commit of the queue; the other gates keep $TTREE at the
# tip whatever happens to it), and a build directory: the rt gate builds the tip there and copies what a
# guest boots to $T/boot-rt; build-each then walks the queue from that tip
# build (--from-tip), so that its first patch needs no full build of its
# own.  Every patch is built with the rt configuration (which includes
# configs/check.config), and the W=1/sparse compile of its touched files
# uses the check configuration: both with and without PREEMPT_RT.
EACH_TREE=$T/linux-each
rt_tip() {
	rm -rf "$EACH_TREE"
	TREE_DIR=$TTREE tgit worktree prune
	TREE_DIR=$TTREE tgit worktree add -q --detach "$EACH_TREE" queue || return 1
	tip_build rt "" "$EACH_TREE" || return $?
	rm -rf "$T/boot-rt" && mkdir -p "$T/boot-rt" || return 1
	(cd "$T/build-rt" && cp --parents .config arch/x86/boot/bzImage "$T/boot-rt/" &&
		find . -name '*.ko' -exec cp --parents {} "$T/boot-rt/" \;) || return 1
	echo "kernel and modules to boot copied to ${T#"$ROOT"/}/boot-rt"
}
build_each() {
	# Asked for without the rt gate (--only build-each): its build first.
	if ! want rt; then
		rt_tip || return $?
	fi
	if [ ! -d "$EACH_TREE" ] || [ ! -f "$T/build-rt/vmlinux" ]; then
		err "test.sh: build-each needs the rt gate's tip build (it failed or did not run)"
		return 1
	fi
	"$ROOT/scripts/build-each.sh" --tree "$EACH_TREE" --config rt --from-tip \
		--w1-config check --out "$T/build-rt" --logdir "$TL"
}

kunit_suites() {
	"$ROOT/scripts/kunit.sh" --build "$T/build-debug" --part suites --smp "$SMP" --logdir "$TL"
}

kunit_meminit() {
	"$ROOT/scripts/kunit.sh" --build "$T/build-debug" --part meminit --smp "$SMP" --logdir "$TL"
}

# smoke: the debug kernel under a short workload and a kfree_rcu() storm
# (the benchmark module, built against it), kmemleak scans, splat scan.
smoke() {
	local rc md=$T/mod-smoke
	rm -rf "$md" && mkdir -p "$md" &&
		cp "$ROOT/bench/slab_bench.c" "$ROOT/bench/Kbuild" "$md/" || return 1
	make -C "$TTREE" O="$T/build-debug" M="$md" modules >"$TL/smoke-module.log" 2>&1 ||
		{ err "test.sh: slab_bench.ko does not build (log: $TL/smoke-module.log)"; return 1; }
	"$ROOT/scripts/boot.sh" --build "$T/build-debug" --smp "$SMP" --module "$md/slab_bench.ko" \
		--job "$ROOT/guest/smoke.sh" --append " panic_on_warn=1 hb_loops=50" \
		--log "$TL/boot-smoke.log" --timeout 900
	rc=$?
	"$ROOT/scripts/scan-log.sh" "$TL/boot-smoke.log" full || rc=1
	grep -E '^\[host [^]]*\] (splats|kmemleak|storm|Slab|SUnreclaim)' "$TL/boot-smoke.log" | sed 's/^\[host [^]]*\] //'
	return $rc
}

# soak: the short soak, one fixed shape (2 nodes, a DIMM hot-added to each
# and removed in every cycle), 3 minutes, on the debug build.
SOAK_SHAPE=numa2
SOAK_SECS=180
soak_gate() {
	"$ROOT/scripts/soak.sh" --shapes $SOAK_SHAPE --secs $SOAK_SECS --tree "$TTREE" \
		--build debug="$T/build-debug" --no-build --logdir "$TL"
}

# tip_build CONFIG [dirs] [TREE]: build the tip of the queue (of TREE, a
# worktree at the tip, instead of $TTREE) (the default targets of
# configs/kernels); any warning in the files the series touches is a
# failure (W=1 and sparse on them: see build-each).  With dirs, only the
# directories of the .c files the series touches (with their
# subdirectories), not a whole kernel: what the slab code and its tests
# compile to on another architecture, at a fifth of the cost.
tip_build() {
	local cfg=$1 mode=${2:-} tree=${3:-$TTREE} files w targets=''
	files=$(TREE_DIR=$TTREE tgit diff --name-only base queue | sed '/^$/d')
	[ "$mode" = dirs ] &&
		targets=$(printf '%s\n' "$files" | sed -n 's|/[^/]*\.c$|/|p' | sort -u | tr '\n' ' ')
	"$ROOT/scripts/build.sh" --tree "$tree" --config "$cfg" --out "$T/build-$cfg" \
		${targets:+--targets "$targets"} --log "$TL/build-$cfg.log" || return $?
	w=
	[ -n "$files" ] &&
		w=$(grep -F -f <(printf '%s\n' "$files" | sed 's/$/:/') "$TL/build-$cfg.log.warnings" || true)
	if [ -n "$w" ]; then
		err "the $cfg build warns in files the series touches:"
		printf '%s\n' "$w" >&2
		return 1
	fi
		echo "$cfg ${targets:-kernel and modules} built at the tip; no warning in the $(printf '%s\n' "$files" | grep -c .) files the series touches"
}

# --- run ------------------------------------------------------------------------
need_pkgs "${TOOL_PKGS[@]}"
gate lint "series file and patch headers; shellcheck and pyflakes of the scripts" lint_all
gate apply "git am of patches/ onto a fresh base, no fuzz" apply_fresh || {
	# Nothing else can be judged without the tree.
	block "the series does not apply" tooling export checkpatch build-each \
		build-debug kunit meminit smoke soak rt rt-kunit lean lean-kunit tiny32 arm64
}
gate tooling "tests of the scripts themselves (tests/run.sh)" "$ROOT/tests/run.sh"
gate export "re-export is a no-op" export_noop
gate checkpatch "scripts/checkpatch.pl --strict per patch" checkpatch_all
gate build-debug "debug kernel at the tip (KASAN, KFENCE, lockdep, kmemleak)" tip_build debug ||
	block "the debug build failed" kunit meminit smoke soak
gate kunit "KUnit: local_lock, slub_test (module), kfence, kasan; slub_sheaves on 3 nodes" kunit_suites
gate meminit "test_meminit with init_on_alloc=1 init_on_free=1" kunit_meminit
gate smoke "debug kernel boot with panic_on_warn=1, splat scan" smoke
gate soak "soak shape $SOAK_SHAPE for $SOAK_SECS s: hotplug, fault injection, pressure" soak_gate
gate rt "PREEMPT_RT build at the tip (in linux-each, kept for build-each)" rt_tip ||
	block "the PREEMPT_RT build failed" rt-kunit build-each
gate rt-kunit "KUnit on PREEMPT_RT: local_lock, slub_sheaves; slab_debug=FZPU slab_nomerge: slub_test, slub_sheaves" \
	"$ROOT/scripts/kunit.sh" --build "$T/boot-rt" --part rt --smp "$SMP" --logdir "$TL"
gate build-each "every patch builds (rt config, walked from the rt tip build), no new warnings, W=1+sparse on touched .c (check config)" \
	build_each
gate lean "lean uniprocessor build at the tip (!SMP, no NUMA/MEMCG/SLUB_DEBUG/SYSFS, random kmalloc caches)" \
	tip_build lean || block "the lean build failed" lean-kunit
gate lean-kunit "lean, one vCPU: local_lock, slub_sheaves, maple tree, XArray" \
	"$ROOT/scripts/kunit.sh" --build "$T/build-lean" --part lean --smp "$SMP" --logdir "$TL"
gate tiny32 "32-bit x86, uniprocessor, SLUB_TINY build at the tip (compile only)" tip_build tiny32
gate arm64 "arm64 cross-build at the tip of the directories the series touches (compile only)" \
	tip_build arm64 dirs

echo "gate         result    time (s)"
printf '%s\n' "${TABLE[@]}"
echo "wall time: $(( $(date +%s) - START )) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
