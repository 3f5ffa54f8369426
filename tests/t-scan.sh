# The splat scanner finds lockdep and WARNING lines and ignores clean logs.
. "$(dirname "$0")/lib.sh"
k=$(mktemp); trap 'rm -f "$k"' EXIT
printf '[    1.0] Run /init as init process\n[    2.0] hello\n' >"$k"
"$ROOT/scripts/scan-log.sh" "$k" full >/dev/null || fail "clean log flagged"
printf '[    3.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:1 foo\n' >>"$k"
expect_fail 1 'splat line' "$ROOT/scripts/scan-log.sh" "$k" full
"$ROOT/scripts/scan-log.sh" "$k" lockdep >/dev/null || fail "lockdep scan flagged a WARNING"
printf '[    4.0] WARNING: possible circular locking dependency detected\n' >>"$k"
expect_fail 1 'splat line' "$ROOT/scripts/scan-log.sh" "$k" lockdep
