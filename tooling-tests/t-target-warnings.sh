# build/target-warnings.py: warnings by target from a Kbuild log, and the
# charge of a patch walking back (the state without it) and forward.
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
TW() { python3 "$ROOT/build/target-warnings.py" "$@"; }
# A log as make -Otarget writes it: each target's line, then its output.
cat >"$d/tip.log" <<'L'
  CC      mm/slub.o
/t/linux/mm/slub.c:120:5: warning: unused variable 'x' [-Wunused-variable]
  CC [M]  lib/tests/local_lock_kunit.o
../lib/tests/local_lock_kunit.c:9: warning: 'y' defined but not used [-Wunused-variable]
  CC      mm/slab_common.o
  LD      vmlinux.o
L
TW parse "$d/tip.log" --tree /t/linux >"$d/view" || fail "parse failed"
printf '%s\n' "lib/tests/local_lock_kunit.o	lib/tests/local_lock_kunit.c: warning: 'y' defined but not used [-Wunused-variable]" \
	'mm/slab_common.o	' "mm/slub.o	mm/slub.c: warning: unused variable 'x' [-Wunused-variable]" \
	'vmlinux.o	' >"$d/want"
diff "$d/want" "$d/view" >/dev/null || fail "parse: $(diff "$d/want" "$d/view")"
# Walking back: the state without the patch compiled mm/slub.o without the
# warning, so the patch brought it; mm/slab_common.o was compiled and warns
# on neither side; local_lock_kunit.o was not compiled: not charged.
printf '  CC      mm/slub.o\n  CC      mm/slab_common.o\n' >"$d/prev.log"
TW parse "$d/prev.log" --tree /t/linux >"$d/prev.targets"
out=$(TW step "$d/view" "$d/prev.targets" --back) || fail "step failed"
[ "$out" = "mm/slub.c: warning: unused variable 'x' [-Wunused-variable]" ] || fail "back: charged '$out'"
grep -q "^mm/slub.o	$" "$d/view" || fail "the view did not move to the state before: $(cat "$d/view")"
grep -q "^lib/tests/local_lock_kunit.o	lib" "$d/view" || fail "a target not compiled lost its warnings"
# The same step again charges nothing: the view is at that state now.
out=$(TW step "$d/view" "$d/prev.targets" --back)
[ -z "$out" ] || fail "a second step charged '$out'"
# A file the patch adds is gone walking back: all its warnings are the patch's.
out=$(TW step "$d/view" "$d/prev.targets" --back --gone lib/tests/local_lock_kunit.o)
[ "$out" = "lib/tests/local_lock_kunit.c: warning: 'y' defined but not used [-Wunused-variable]" ] ||
	fail "gone: charged '$out'"
# Forward: the state with the patch warns where the view did not.
printf '  CC      mm/slab_common.o\nmm/slab_common.c:3: warning: z [-Wz]\n' >"$d/next.log"
TW parse "$d/next.log" --tree /t/linux >"$d/next.targets"
out=$(TW step "$d/view" "$d/next.targets" --forward)
[ "$out" = "mm/slab_common.c: warning: z [-Wz]" ] || fail "forward: charged '$out'"
# A warning that went away is no charge either way.
printf '  CC      mm/slab_common.o\n' >"$d/fixed.log"
TW parse "$d/fixed.log" --tree /t/linux >"$d/fixed.targets"
out=$(TW step "$d/view" "$d/fixed.targets" --forward)
[ -z "$out" ] || fail "a fixed warning was charged: '$out'"
expect_fail 2 "target-warnings: .*none" TW step "$d/view" "$d/none" --back
# A log of a verbose or silent make has no target lines: refused, not
# filed under one catch-all target.
printf '%s\n' "gcc -c -o mm/slub.o mm/slub.c" "mm/slub.c:3: warning: w [-Ww]" >"$d/verbose.log"
expect_fail 1 'has warnings but no "  CC      target" lines' TW parse "$d/verbose.log" --tree /t/linux
