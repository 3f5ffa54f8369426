#!/bin/bash
# test.sh: every gate of the queue, on a fresh application of patches/.
#
#   gates/test.sh [--only GATE[,GATE...]] [--smp N] [--accel auto|kvm|tcg] [--workdir DIR]
#
# The gates are the rows of configs/gates, run one after the other in that
# order (what each checks: there and in the README): each row names the
# gates it needs, whether it looks at every patch or only at the tip, and
# the seconds it may take on a CI machine.  The rows marked planned are
# the gates the open issues add: not run, but the summary projects the
# whole run, with them, to the queue size configs/gates names.
# The gates run one after the other: builds use both cores, and builds at
# nice 19 beside the TCG guests slowed the guests up to 1.7 times while
# getting little done themselves (measured: see the issue notes), so
# overlapping them gains nothing on two cores.
# Works in out/test/ (or --workdir: its own tree, build directories and
# logs), never in out/linux.  A gate that cannot run because one it needs
# failed counts as failed ("not run").  Prints one line per gate, a table
# of the gates' results, times and budgets, the projection, and a last
# line "N passed, N failed".
# Exit: 0 all passed, 1 a gate failed, 2 usage error.
. "$(dirname "$0")/../lib/lib.sh"

GATES_FILE=$ROOT/configs/gates
# The rows of configs/gates: ALL_GATES in order (the ones that run), and
# per gate its state, scope, needs, budget and description.
ALL_GATES=()
PLANNED=()
declare -A G_STATE=() G_SCOPE=() G_NEEDS=() G_BUDGET=() G_DESC=()
PROJ_PATCHES=
PROJ_SECS=
SOAK_SHAPE=
SOAK_SECS=
while read -r name state scope needs budget desc; do
	case $name in
	''|'#'*) continue ;;
	%project)
		for kv in $state $scope; do
			case $kv in
			patches=*) PROJ_PATCHES=${kv#patches=} ;;
			seconds=*) PROJ_SECS=${kv#seconds=} ;;
			esac
		done
		continue ;;
	%soak)
		for kv in $state $scope; do
			case $kv in
			shape=*) SOAK_SHAPE=${kv#shape=} ;;
			secs=*) SOAK_SECS=${kv#secs=} ;;
			esac
		done
		continue ;;
	esac
	if ! { [[ $state == run || $state == planned:?* ]] && [[ $scope == patch || $scope == tip ]] &&
		[[ $budget =~ ^(0|[1-9][0-9]*)(\+[1-9][0-9]*p)?$|^[1-9][0-9]*p$ ]] && [ -n "$desc" ]; }; then
		die $E_USAGE "test.sh: configs/gates: bad row for '$name' (want: NAME STATE SCOPE NEEDS BUDGET DESCRIPTION)"
	fi
	[ -z "${G_STATE[$name]:-}" ] || die $E_USAGE "test.sh: configs/gates: '$name' twice"
	G_STATE[$name]=$state G_SCOPE[$name]=$scope G_NEEDS[$name]=$needs
	G_BUDGET[$name]=$budget G_DESC[$name]=$desc
	if [ "$state" = run ]; then ALL_GATES+=("$name"); else PLANNED+=("$name"); fi
done <"$GATES_FILE"
[[ $PROJ_PATCHES =~ ^[1-9][0-9]*$ && $PROJ_SECS =~ ^[1-9][0-9]*$ ]] ||
	die $E_USAGE "test.sh: configs/gates: no '%project patches=N seconds=S' line"
[[ $SOAK_SHAPE =~ ^[a-z0-9_-]+$ && $SOAK_SECS =~ ^[1-9][0-9]*$ ]] ||
	die $E_USAGE "test.sh: configs/gates: no '%soak shape=NAME secs=N' line"
# A gate needs gates that come before it (a planned one may need a gate
# that runs, not the other way round).
declare -A SEEN=()
for g in "${ALL_GATES[@]}" "${PLANNED[@]}"; do
	if [ "${G_NEEDS[$g]}" != - ]; then
		for n in ${G_NEEDS[$g]//,/ }; do
			[ -n "${SEEN[$n]:-}" ] ||
				die $E_USAGE "test.sh: configs/gates: $g needs '$n', which is no gate listed before it"
		done
	fi
	SEEN[$g]=1
done
ONLY=
SMP=2
ACCEL=auto
T=$OUT/test
while [ $# -gt 0 ]; do
	case $1 in
	--only) ONLY=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--accel) ACCEL=$2; shift 2 ;;
	--workdir) T=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "test.sh: unknown argument '$1'" ;;
	esac
done
for g in ${ONLY//,/ }; do check_choice gate "$g" "${ALL_GATES[@]}"; done
check_choice accel "$ACCEL" auto kvm tcg

# The queue's size (the budgets of per-patch gates grow with it).
NPATCH=$(grep -v '^#' "$ROOT/patches/series" 2>/dev/null | grep -c . || true)
TL=$T/logs
TTREE=$T/linux
mkdir -p "$TL"
PASSED=0
FAILED=0
START=$(date +%s)

want() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

# gate NAME CMD...: run CMD as gate NAME (its row in configs/gates), log
# to $TL/gate-NAME.log.  A gate that cannot run because a gate it needs
# failed or could not run itself is not dropped: it counts as failed, "not
# run", with the first gate of the chain that failed as the reason.  A
# needed gate that was not asked for (--only) is no obstacle: the gate then
# uses what an earlier run left in the work directory, or says what is
# missing.
declare -A RESULT=() BLOCKED=() TIME=()
# Per-gate results for the summary table, in the order the gates ran.
TABLE=()
# budget_at GATE N: the gate's budget in seconds for a queue of N patches.
budget_at() {
	local b=${G_BUDGET[$1]} n=$2 s=0 p=0
	case $b in
	*+*p) s=${b%%+*}; p=${b#*+}; p=${p%p} ;;
	*p) p=${b%p} ;;
	*) s=$b ;;
	esac
	echo $((s + p * n))
}
# per_patch GATE: the per-patch part of its budget (0 for none).
per_patch() {
	local b=${G_BUDGET[$1]}
	case $b in
	*p) b=${b%p}; echo "${b#*+}" ;;
	*) echo 0 ;;
	esac
}
row() { # NAME RESULT TIME BUDGET
	printf '%-12s %-5s %-8s %8s %10s' "$1" "${G_SCOPE[$1]}" "$2" "$3" "$4"
}
gate() {
	local name=$1 t0 rc dt n
	shift
	want "$name" || return 0
	if [ "${G_NEEDS[$name]}" != - ]; then
		for n in ${G_NEEDS[$name]//,/ }; do
			case ${RESULT[$n]:-} in
			failed) BLOCKED[$name]="needs $n, which failed" ;;
			"not run") BLOCKED[$name]=${BLOCKED[$n]} ;;
			*) continue ;;
			esac
			break
		done
	fi
	if [ -n "${BLOCKED[$name]:-}" ]; then
		FAILED=$((FAILED + 1))
		RESULT[$name]="not run"
		say FAIL "$name: not run, ${BLOCKED[$name]}"
		TABLE+=("$(row "$name" "not run" - "$(budget_at "$name" "$NPATCH")")")
		return 1
	fi
	t0=$(date +%s)
	CUR_GATE=$name
	say GATE "$name: ${G_DESC[$name]}"
	"$@" 2>&1 | tee "$TL/gate-$name.log" | sed -u 's/^/    | /'
	rc=${PIPESTATUS[0]}
	dt=$(( $(date +%s) - t0 ))
	TIME[$name]=$dt
	if [ "$rc" = 0 ]; then
		PASSED=$((PASSED + 1))
		RESULT[$name]=passed
		say PASS "$name ($dt s)"
	else
		FAILED=$((FAILED + 1))
		RESULT[$name]=failed
		say FAIL "$name: exit $rc ($dt s, log: ${TL#"$ROOT"/}/gate-$name.log)"
	fi
	TABLE+=("$(row "$name" "${RESULT[$name]}" "$dt" "$(budget_at "$name" "$NPATCH")")")
	return "$rc"
}

# --- gate implementations ----------------------------------------------------
# need_applied: the gate that runs ($CUR_GATE) reads the apply gate's
# tree.  Run alone (--only) where no apply ran, it says so, rather than
# failing on a missing directory or branch.
need_applied() {
	TREE_DIR=$TTREE tgit rev-parse -q --verify queue >/dev/null 2>&1 && return 0
	err "test.sh: no applied queue in $TTREE: the $CUR_GATE gate reads the apply gate's tree (run them together: --only apply,$CUR_GATE)"
	return 1
}
# need_kernel DIR GATE: the gate that runs boots the kernel in DIR, which
# GATE builds from the apply gate's tree (which it reads too).
need_kernel() {
	TREE_DIR=$TTREE tgit rev-parse -q --verify queue >/dev/null 2>&1 &&
		[ -f "$1/.config" ] &&
		[ -n "$(find "$1/arch" -path '*/boot/*Image' -print -quit 2>/dev/null)" ] && return 0
	err "test.sh: no kernel in $1 or no applied queue in $TTREE: the $CUR_GATE gate boots the $2 gate's kernel (run them together: --only apply,$2,$CUR_GATE)"
	return 1
}

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
		# "mm, bpf: ..." names two subsystems, as upstream does.
		[[ $subj =~ ^\[PATCH\ [0-9]+/[0-9]+\]\ [a-z0-9_/.-]+(,\ [a-z0-9_/.-]+)*:\ [^\ ] ]] ||
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
	python3 "$ROOT/queue/series-sections.py" check "$P" || rc=1
	echo "$n patches in series"
	return $rc
}

# lint: the series and patch headers, then the harness's own scripts.
lint_all() {
	local rc=0
	lint_series || rc=1
	"$ROOT/gates/lint-scripts.sh" || rc=1
	return $rc
}

apply_fresh() {
	"$ROOT/queue/src.sh" --dir "$TTREE"
}

export_noop() {
	local tmp rc=0
	need_applied || return 1
	tmp=$(mktemp -d "$OUT/reexport.XXXXXX")
	"$ROOT/queue/export.sh" --tree "$TTREE" --to "$tmp" || { rm -rf "$tmp"; return 1; }
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
	local rc=0 p out tot tmp
	need_applied || return 1
	tmp=$(mktemp -d "$OUT/checkpatch.XXXXXX") || return 1
	# Two at a time (one per core), the reports read in series order; the
	# first one alone, so that the two do not race on writing checkpatch's
	# camelcase cache.  Each run's exit status goes to a file beside its
	# report.  queue/checkpatch-typedefs: typedefs the series adds on
	# purpose.  --terse gives one line per message and the total last.
	# shellcheck disable=SC2016 # $1..$3: expanded by the inner sh
	set -- sh -c 'perl scripts/checkpatch.pl --strict --terse --show-types --typedefsfile "$1" "$2/$4" >"$3/$4.out" 2>&1; echo $? >"$3/$4.rc"' \
		sh "$ROOT/queue/checkpatch-typedefs" "$ROOT/patches" "$tmp"
	grep -v '^#' "$ROOT/patches/series" | sed '/^$/d' >"$tmp/list"
	(cd "$TTREE" && PATH=/usr/bin:$PATH && head -1 "$tmp/list" | xargs -I{} "$@" {} &&
		tail -n +2 "$tmp/list" | xargs -P 2 -I{} "$@" {})
	# shellcheck disable=SC2013 # one patch file name per line, no blanks
	for p in $(grep -v '^#' "$ROOT/patches/series" | sed '/^$/d'); do
		out=$(cat "$tmp/$p.out" 2>/dev/null) || { err "checkpatch did not run on $p"; rc=1; continue; }
		# checkpatch exits 1 when it reports errors or warnings; anything
		# else (killed, a crash) means it did not finish.
		case $(cat "$tmp/$p.rc" 2>/dev/null) in
		0|1) ;;
		*) printf '%s\n' "$out" | sed 's/^/    /'; err "checkpatch did not finish on $p"; rc=1; continue ;;
		esac
		tot=$(printf '%s\n' "$out" | grep '^total:' | tail -1)
		# checkpatch prints no total when it has nothing to say.
		[ -n "$tot" ] || [ -n "$out" ] || tot="total: 0 errors, 0 warnings, 0 checks"
		[ -n "$tot" ] || { printf '%s\n' "$out" | sed 's/^/    /'; err "checkpatch gave no total for $p"; rc=1; continue; }
		echo "  $p: ${tot#*total: }"
		# A helper (spdxcheck.py) that crashes means a check did not run.
		if printf '%s\n' "$out" | grep -qE '^Traceback|Error:'; then
			printf '%s\n' "$out" | grep -E 'Traceback|Error' | sed 's/^/    /'
			err "checkpatch could not run all its checks on $p"
			rc=1
		fi
		# --terse --show-types: "FILE:LINE: WARNING:TYPE: message".  The
		# counts of the total line decide; the messages are shown.
		printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' | sed 's/^/    /'
		case $tot in
		*"total: 0 errors, 0 warnings,"*) ;;
		*) rc=1 ;;
		esac
	done
	rm -rf "$tmp"
	return $rc
}

# rt and build-each share a worktree of their own, $T/linux-each (build-each
# checks out every commit of the queue; the other gates keep $TTREE at the
# tip whatever happens to it), and a build directory: the rt gate builds
# the tip there and copies what a guest boots to $T/boot-rt; build-each
# then walks the queue back from that tip build (--from-tip, with the
# tip's warnings), so that no patch needs a full build of its own.  Every
# patch is built with the rt configuration (which includes
# configs/check.config), and the W=1/sparse compile of its touched files
# uses the w1 configuration (check, and what builds kmemleak and the BPF
# syscall): both with and without PREEMPT_RT.
EACH_TREE=$T/linux-each
rt_tip() {
	need_applied || return 1
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
	"$ROOT/build/build-each.sh" --tree "$EACH_TREE" --config rt --from-tip \
		--tip-warnings "$TL/build-rt.log.warnings" --w1-config w1 --out "$T/build-rt" --logdir "$TL"
}

kunit_suites() {
	"$ROOT/gates/kunit.sh" --build "$T/build-debug" --part suites --smp "$SMP" --accel "$ACCEL" --logdir "$TL"
}

kunit_meminit() {
	"$ROOT/gates/kunit.sh" --build "$T/build-debug" --part meminit --smp "$SMP" --accel "$ACCEL" --logdir "$TL"
}

# smoke: the debug kernel under a short workload and a kfree_rcu() storm
# (the benchmark module, built against it), kmemleak scans, splat scan.
smoke() {
	local rc md=$T/mod-smoke
	need_kernel "$T/build-debug" build-debug || return 1
	rm -rf "$md" && mkdir -p "$md" &&
		cp "${BENCH_MODULE_FILES[@]/#/$ROOT/bench/}" "$md/" || return 1
	make -C "$TTREE" O="$T/build-debug" M="$md" modules >"$TL/smoke-module.log" 2>&1 ||
		{ err "test.sh: slab_bench.ko does not build (log: $TL/smoke-module.log)"; return 1; }
	"$ROOT/boot/boot.sh" --build "$T/build-debug" --smp "$SMP" --accel "$ACCEL" --module "$md/slab_bench.ko" \
		--job "$ROOT/boot/guest/smoke.sh" --append " panic_on_warn=1 hb_loops=50" \
		--log "$TL/boot-smoke.log" --timeout 900 --scan full
	rc=$?
	grep -E '^\[host [^]]*\] (splats|kmemleak|storm|Slab|SUnreclaim)' "$TL/boot-smoke.log" | sed 's/^\[host [^]]*\] //'
	return $rc
}

# guest_tool NAME SRC JOB: a tool built on the host from SRC with
# -Wall -Wextra (any warning fails) and run as /bin/NAME by the guest job
# JOB in a guest of the debug kernel, console scanned for every splat.
guest_tool() {
	local bin=$T/$1 log=$TL/$1-build.log
	need_kernel "$T/build-debug" build-debug || return 1
	if ! gcc -Wall -Wextra -O2 -o "$bin" "$2" >"$log" 2>&1 || [ -s "$log" ]; then
		cat "$log"
		err "test.sh: ${2#"$TTREE/"} does not build without warnings (log: $log)"
		return 1
	fi
	"$ROOT/boot/boot.sh" --build "$T/build-debug" --smp "$SMP" --accel "$ACCEL" --bin "$bin" \
		--job "$3" --log "$TL/boot-$1.log" --timeout 600 --scan full
}

# slabinfo: tools/mm/slabinfo of the tree under test (-Wall -Wextra as
# tools/mm/Makefile), run by boot/guest/slabinfo.sh.
slabinfo_gate() {
	guest_tool slabinfo "$TTREE/tools/mm/slabinfo.c" "$ROOT/boot/guest/slabinfo.sh"
}

# bpf: bpf_timer_init() from a BPF program (boot/guest/bpf-timer.c, built
# against the system's UAPI headers, without libbpf), run by
# boot/guest/bpf-timer.sh: the timer is what __bpf_async_init() allocates
# with kmalloc_nolock().
bpf_gate() {
	guest_tool bpf-timer "$ROOT/boot/guest/bpf-timer.c" "$ROOT/boot/guest/bpf-timer.sh"
}

# selftest: tools/testing/selftests/slab of the tree under test, built with
# its own Makefile (-Wall -Wextra) into $T/selftest-slab, not into the
# tree: any compiler output fails (make's directory lines and its
# "  CC  target" line are all it may print).  Run by boot/guest/selftest.sh
# in a guest of the debug kernel, which judges the TAP (no failure, no
# skip, the plan complete) and scans the console for splats.  rt-selftest
# runs the same on the PREEMPT_RT kernel with 2 NUMA nodes: no KASAN
# there, so frees reach the sheaves, the barns fill, and their limits are
# really tested (under the debug kernel's quarantine they stay empty).
# selftest_gate [KERNEL NAME [BOOT ARGS...]]: the kernel directory to boot
# (default $T/build-debug) and the name of the logs (default selftest).
selftest_gate() {
	local kdir=${1:-$T/build-debug} name=${2:-selftest}
	local out=$T/selftest-slab log=$TL/selftest-build.log rc
	if [ "$kdir" = "$T/boot-rt" ]; then need_kernel "$kdir" rt || return 1
	else need_kernel "$kdir" build-debug || return 1; fi
	[ $# -lt 2 ] || shift 2
	rm -rf "$out" && mkdir -p "$out" || return 1
	# The build takes only what is given here (see kbuild_env).
	if ! (unset MAKEFLAGS MFLAGS MAKELEVEL
		make -C "$TTREE/tools/testing/selftests/slab" OUTPUT="$out" V=0 >"$log" 2>&1) ||
		grep -vE '^make(\[[0-9]+\])?: (Entering|Leaving) directory|^  CC +slab_tuning$' "$log" | grep -q . ||
		[ ! -x "$out/slab_tuning" ]; then
		cat "$log"
		err "test.sh: tools/testing/selftests/slab does not build without warnings (log: $log)"
		return 1
	fi
	"$ROOT/boot/boot.sh" --build "$kdir" --smp "$SMP" --accel "$ACCEL" --bin "$out/slab_tuning" "$@" \
		--job "$ROOT/boot/guest/selftest.sh" --log "$TL/boot-$name.log" --timeout 600 --scan full
	rc=$?
	grep -E '^\[host [^]]*\] selftest: ' "$TL/boot-$name.log" | sed 's/^\[host [^]]*\] //'
	return $rc
}

# docs: scripts/kernel-doc -none -Wall on every .c and .h file the series
# touches, and scripts/get_abi.pl validate on Documentation/ABI.  The base
# has warnings of its own in those files (kernel-doc: 77 lines when the
# gate came, all in code the series leaves alone, e.g. mm/memcontrol.c;
# get_abi.pl: none, measured on 6.12.117), so both tools of the tree under
# test run on the base's version as well (git archive of base) and only
# what the tip adds fails the gate: lines compared with their line
# numbers taken out, as a multiset (a warning the base has once and the
# tip twice is new).  get_abi.pl exits 0 even when it warns; a non-zero
# exit of either tool fails too.
# docs_run DIR OUT CMD...: CMD in DIR, its output in OUT.raw and, with the
# line numbers taken out ("file:12:", "file#12:", "file:12 "), sorted in OUT.
docs_run() {
	local dir=$1 out=$2
	shift 2
	(cd "$dir" && "$@") >"$out.raw" 2>&1 ||
		{ cat "$out.raw"; err "test.sh: '$*' exited non-zero in $dir"; return 1; }
	sed -E 's/([^ :#])[:#][0-9]+([: ]|$)/\1\2/g' "$out.raw" | sort >"$out"
}
docs_gate() {
	local d=$T/docs rc=0 files basefiles new
	local kdoc=$TTREE/scripts/kernel-doc abi=$TTREE/scripts/get_abi.pl
	rm -rf "$d" && mkdir -p "$d/base" || return 1
	# Run alone (--only docs), the gate finds the tree of an earlier apply.
	need_applied || return 1
	files=$(TREE_DIR=$TTREE tgit diff --name-only --diff-filter=d base queue -- '*.c' '*.h' | sed '/^$/d')
	[ -n "$files" ] || { err "test.sh: the series touches no .c or .h file"; return 1; }
	# The touched files that the base has, and its ABI documentation.
	# shellcheck disable=SC2086 # file names: one word each
	basefiles=$(TREE_DIR=$TTREE tgit ls-tree -r --name-only base -- $files)
	# shellcheck disable=SC2086 # file names: one word each
	TREE_DIR=$TTREE tgit archive base -- Documentation/ABI $basefiles | tar -x -C "$d/base" ||
		{ err "test.sh: cannot extract the base's files"; return 1; }
	# shellcheck disable=SC2086 # file names: one word each
	docs_run "$TTREE" "$d/kdoc-tip" perl "$kdoc" -none -Wall $files || rc=1
	: >"$d/kdoc-base"
	# shellcheck disable=SC2086 # file names: one word each
	[ -z "$basefiles" ] || docs_run "$d/base" "$d/kdoc-base" perl "$kdoc" -none -Wall $basefiles || rc=1
	docs_run "$TTREE" "$d/abi-tip" perl "$abi" validate || rc=1
	docs_run "$d/base" "$d/abi-base" perl "$abi" validate || rc=1
	[ $rc = 0 ] || return 1
	new=$(comm -13 "$d/kdoc-base" "$d/kdoc-tip")
	if [ -n "$new" ]; then
		printf '%s\n' "$new" | sed 's/^/    /' >&2
		err "test.sh: kernel-doc warns in the files the series touches (all of it: $d/kdoc-tip.raw)"
		rc=1
	fi
	new=$(comm -13 "$d/abi-base" "$d/abi-tip")
	if [ -n "$new" ]; then
		# Its warnings take several lines: shown whole, in order.
		sed 's/^/    /' "$d/abi-tip.raw" >&2
		err "test.sh: scripts/get_abi.pl validate warns (all of it: $d/abi-tip.raw)"
		rc=1
	fi
	echo "kernel-doc: $(printf '%s\n' "$files" | grep -c .) files the series touches: $(grep -c . "$d/kdoc-tip") lines of warnings, the base's version $(grep -c . "$d/kdoc-base"), new $(comm -13 "$d/kdoc-base" "$d/kdoc-tip" | grep -c .)"
	echo "get_abi.pl validate: $(grep -c . "$d/abi-tip") lines, the base $(grep -c . "$d/abi-base"), new $(comm -13 "$d/abi-base" "$d/abi-tip" | grep -c .)"
	return $rc
}

# soak: the short soak, one fixed shape (the %soak line of configs/gates:
# numa2, 2 nodes, a DIMM hot-added to each and removed in every cycle), on
# the debug build.
soak_gate() {
	"$ROOT/soak/soak.sh" --shapes "$SOAK_SHAPE" --secs "$SOAK_SECS" --tree "$TTREE" --accel "$ACCEL" \
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
	need_applied || return 1
	files=$(TREE_DIR=$TTREE tgit diff --name-only base queue | sed '/^$/d')
	[ "$mode" = dirs ] &&
		targets=$(printf '%s\n' "$files" | sed -n 's|/[^/]*\.c$|/|p' | sort -u | tr '\n' ' ')
	"$ROOT/build/build.sh" --tree "$tree" --config "$cfg" --out "$T/build-$cfg" \
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
# gate_cmd NAME: the command of a gate of configs/gates.
gate_cmd() {
	case $1 in
	lint) lint_all ;;
	apply) apply_fresh ;;
	tooling) "$ROOT/tooling-tests/run.sh" ;;
	export) export_noop ;;
	checkpatch) checkpatch_all ;;
	build-debug) tip_build debug ;;
	kunit) kunit_suites ;;
	meminit) kunit_meminit ;;
	smoke) smoke ;;
	slabinfo) slabinfo_gate ;;
	bpf) bpf_gate ;;
	selftest) selftest_gate ;;
	rt-selftest) selftest_gate "$T/boot-rt" rt-selftest --numa 2 ;;
	docs) docs_gate ;;
	soak) soak_gate ;;
	cx16-kunit) "$ROOT/gates/kunit.sh" --build "$T/build-debug" --part cx16 --smp "$SMP" --accel "$ACCEL" --logdir "$TL" ;;
	rt) rt_tip ;;
	rt-kunit) "$ROOT/gates/kunit.sh" --build "$T/boot-rt" --part rt --smp "$SMP" --accel "$ACCEL" --logdir "$TL" ;;
	build-each) build_each ;;
	lean) tip_build lean ;;
	lean-kunit) "$ROOT/gates/kunit.sh" --build "$T/build-lean" --part lean --smp "$SMP" --accel "$ACCEL" --logdir "$TL" ;;
	tiny32) tip_build tiny32 ;;
	arm64) tip_build arm64 dirs ;;
	arm64-boot) tip_build arm64boot ;;
	arm64-kunit) "$ROOT/gates/kunit.sh" --build "$T/build-arm64boot" --part arm64 --smp "$SMP" --accel "$ACCEL" --logdir "$TL" ;;
	*) err "test.sh: configs/gates names gate '$1', which test.sh cannot run"; return 2 ;;
	esac
}
need_pkgs "${TOOL_PKGS[@]}"
for g in "${ALL_GATES[@]}"; do
	gate "$g" gate_cmd "$g"
done

# The summary: every gate's time beside its budget for this queue, the
# planned gates' budgets, and the run projected to the queue size of
# configs/gates: a gate that ran counts its time plus its per-patch budget
# for every patch still to come, one that did not run (--only) or is
# planned counts its budget at that size.
echo "gate         scope result   time (s) budget (s)"
printf '%s\n' "${TABLE[@]}"
proj=0
over=()
# A queue that has grown past the %project size is projected at its own
# size: the projection never assumes patches go away.
[ "$NPATCH" -le "$PROJ_PATCHES" ] || PROJ_PATCHES=$NPATCH
for g in "${ALL_GATES[@]}"; do
	if [ -n "${TIME[$g]:-}" ]; then
		proj=$((proj + TIME[$g] + $(per_patch "$g") * (PROJ_PATCHES - NPATCH)))
		[ "${TIME[$g]}" -le "$(budget_at "$g" "$NPATCH")" ] || over+=("$g")
	else
		proj=$((proj + $(budget_at "$g" "$PROJ_PATCHES")))
	fi
done
for g in "${PLANNED[@]}"; do
	row "$g" planned - "$(budget_at "$g" "$PROJ_PATCHES")"
	printf ' %s\n' "${G_STATE[$g]#planned:}"
	proj=$((proj + $(budget_at "$g" "$PROJ_PATCHES")))
done
[ ${#over[@]} = 0 ] || echo "over budget: ${over[*]}"
echo "projected at $PROJ_PATCHES patches with the planned gates: $proj s (CI target $PROJ_SECS s)"
echo "wall time: $(( $(date +%s) - START )) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
