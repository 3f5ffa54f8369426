# bench/profile.py turns a tbprof profile into per-function counts: blocks
# attributed to the System.map symbol at or before them, modules outside,
# --minus, --per, --calls (executions of a function's first block) and
# --vs (another kernel, matched by name); bad input is an error that names
# the line.  boot.sh takes --profile only for TCG QEMU guests.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
cat >"$d/a.map" <<'M'
ffffffff81000000 T _text
ffffffff81000100 T alpha
ffffffff81000200 t beta
ffffffff81000300 D some_data
ffffffff81600000 T _etext
ffffffff81700000 T init_fn
ffffffff81c00000 B _end
M
# alpha: a block at its start (3 insns x 10) and one inside (2 x 5);
# beta: 4 x 100; init text before _end: 1 x 7; a module: 5 x 2.
cat >"$d/a.prof" <<'P'
ffffffff81000100 3 10
ffffffff81000140 2 5
ffffffff81000200 4 100
ffffffff81700010 1 7
ffffffffa0001000 5 2
P
out=$(python3 bench/profile.py --map "$d/a.map" "$d/a.prof" --calls alpha,beta,gamma) ||
	fail "profile.py failed: $out"
printf '%s\n' "$out" | grep -qx 'total 457.0' || fail "wrong total: $out"
printf '%s\n' "$out" | grep -qE '^ +400.0 beta$' || fail "beta not 400: $out"
printf '%s\n' "$out" | grep -qE '^ +40.0 alpha$' || fail "alpha not 40: $out"
printf '%s\n' "$out" | grep -qE '^ +7.0 init_fn$' || fail "init text not counted: $out"
printf '%s\n' "$out" | grep -qE '^ +10.0 \[outside vmlinux\]$' || fail "module not outside: $out"
printf '%s\n' "$out" | grep -qE '^calls +10.0 alpha$' || fail "alpha calls not 10: $out"
printf '%s\n' "$out" | grep -qE '^calls +0.0 gamma$' || fail "unknown symbol's calls not 0: $out"
# The first line of the table is the biggest function.
[ "$(printf '%s\n' "$out" | sed -n 2p | awk '{print $2}')" = beta ] || fail "not sorted: $out"
# --minus and --per: the same profile less a boot of 1 x beta, per 2.
printf 'ffffffff81000200 4 20\n' >"$d/boot.prof"
out=$(python3 bench/profile.py --map "$d/a.map" "$d/a.prof" --minus "$d/boot.prof" --per 2) ||
	fail "profile.py --minus failed: $out"
printf '%s\n' "$out" | grep -qE '^ +160.0 beta$' || fail "--minus/--per: beta not 160: $out"
# --vs: another kernel where beta moved and costs less, and delta exists.
sed 's/^ffffffff81000200 t beta/ffffffff81000280 t beta\nffffffff81000400 t delta/' "$d/a.map" >"$d/b.map"
printf 'ffffffff81000280 4 50\nffffffff81000400 6 10\n' >"$d/b.prof"
out=$(python3 bench/profile.py --map "$d/a.map" "$d/a.prof" --vs "$d/b.map" "$d/b.prof") ||
	fail "profile.py --vs failed: $out"
printf '%s\n' "$out" | grep -qE '^ +400.0 +200.0 +-200.0 beta$' || fail "--vs: beta row wrong: $out"
printf '%s\n' "$out" | grep -qE '^ +0.0 +60.0 +60.0 delta$' || fail "--vs: delta row wrong: $out"
# Bad input.
printf 'ffffffff81000200 4\n' >"$d/bad.prof"
expect_fail 2 '^error: profile.py: .*bad.prof:1: not a profile line' \
	python3 bench/profile.py --map "$d/a.map" "$d/bad.prof"
expect_fail 2 '^error: profile.py: .*a.prof: no text symbols' \
	python3 bench/profile.py --map "$d/a.prof" "$d/a.prof"
expect_fail 2 '^error: profile.py: .*No such file' python3 bench/profile.py --map "$d/nosuch" "$d/a.prof"
expect_fail 2 'error: profile.py: --per and --top want positive numbers' \
	python3 bench/profile.py --map "$d/a.map" "$d/a.prof" --per 0
expect_fail 2 'error: profile.py: --vs-minus without --vs' \
	python3 bench/profile.py --map "$d/a.map" "$d/a.prof" --vs-minus "$d/a.prof"
# boot.sh: a TCG plugin, so QEMU under TCG only.
expect_fail 2 "^error: boot.sh: --profile is for the qemu backend" \
	boot/boot.sh --backend uml --smp 1 --profile "$d/p"
expect_fail 2 "^error: boot.sh: --profile wants --accel tcg or icount" \
	boot/boot.sh --accel kvm --profile "$d/p"
expect_fail 2 "^error: boot.sh: --profile FILE cannot contain a comma" \
	boot/boot.sh --accel icount --profile "$d/a,b"
exit 0
