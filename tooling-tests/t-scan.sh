# The splat scanner finds lockdep and WARNING lines and ignores clean logs.
. "$(dirname "$0")/lib.sh"
k=$(mktemp); trap 'rm -f "$k"' EXIT
printf '[    1.0] Run /init as init process\n[    2.0] hello\n' >"$k"
"$ROOT/boot/scan-log.sh" "$k" full >/dev/null || fail "clean log flagged"
printf '[    3.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:1 foo\n' >>"$k"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$k" full
"$ROOT/boot/scan-log.sh" "$k" lockdep >/dev/null || fail "lockdep scan flagged a WARNING"
printf '[    4.0] WARNING: possible circular locking dependency detected\n' >>"$k"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$k" lockdep
# A declared splat accepts exactly one matching line after it.
e=$(mktemp); trap 'rm -f "$k" "$e"' EXIT
printf '[    1.0] EXPECT-SPLAT: WARNING: .* at mm/slub\\.c:[0-9]+ \n' >"$e"
printf '[    2.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:12 free_bulk+0x1\n' >>"$e"
"$ROOT/boot/scan-log.sh" "$e" full >/dev/null || fail "declared splat not accepted"
printf '[    3.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:12 free_bulk+0x1\n' >>"$e"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$e" full
# A splat before its declaration is not accepted; a missing one fails.
printf '[    1.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:12 x\n[    2.0] EXPECT-SPLAT: WARNING: .* at mm/slub\\.c:[0-9]+ \n' >"$e"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$e" full
printf '[    1.0] EXPECT-SPLAT: WARNING: .* at lib/debugobjects\\.c\n' >"$e"
expect_fail 1 'did not appear' "$ROOT/boot/scan-log.sh" "$e" full
# Another warning is not accepted by a declaration for a different one.
printf '[    1.0] EXPECT-SPLAT: WARNING: .* at lib/debugobjects\\.c\n[    2.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:12 x\n' >"$e"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$e" full
# Warnings name files relative to the build directory (O=): the kernel's
# declarations allow a path prefix.
printf '[    1.0] EXPECT-SPLAT: WARNING: .* at ([^ ]*/)?mm/slub\\.c:[0-9]+ \n[    2.0] WARNING: CPU: 1 PID: 96 at ../linux/mm/slub.c:5975 kmem_cache_free_bulk+0x66e/0x1370\n' >"$e"
"$ROOT/boot/scan-log.sh" "$e" full >/dev/null || fail "declared splat with a path prefix not accepted"
# A splat's report (registers, call trace) follows the splat lines, so that
# a CI log with only the gate output still shows where the kernel failed.
printf '[    1.0] Oops: double fault: 0000 [#1] SMP KASAN\n[    1.1] RIP: 0010:rcu_free_sheaf+0x12\n[    1.2] Call Trace:\n' >"$k"
expect_fail 1 'RIP: 0010:rcu_free_sheaf' "$ROOT/boot/scan-log.sh" "$k" full
# The soak's patterns (boot/guest/splat-patterns): RCU stalls and hung tasks fail
# the full scan, not the lockdep one.
s=$(mktemp); trap 'rm -f "$k" "$e" "$s"' EXIT
printf '[    5.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n' >"$s"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$s" full
"$ROOT/boot/scan-log.sh" "$s" lockdep >/dev/null || fail "lockdep scan flagged an RCU stall"
printf '[    6.0] INFO: task kworker/0:1:12 blocked for more than 120 seconds.\n' >"$s"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$s" full
# kmemleak's complaints about pointers it does not know are bugs of the caller.
printf '[    7.0] kmemleak: Trying to color unknown object at 0xffff888004a1c000 as Black\n' >"$s"
expect_fail 1 'splat line' "$ROOT/boot/scan-log.sh" "$s" full
# The guest reads the same list: every pattern line has a known scope.
bad=$(grep -vE '^(#|$|all |full )' "$ROOT/boot/guest/splat-patterns" || true)
[ -z "$bad" ] || fail "boot/guest/splat-patterns: lines without a scope: $bad"
