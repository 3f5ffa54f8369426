# qemu-run.py turns the console into the documented exit code: 0 for
# "GUEST-DONE rc=0", 1 for another rc, 4 for no GUEST-DONE, a panic (also
# after GUEST-DONE) or the timeout, when the guest is killed.  The guests
# here are shell scripts standing in for QEMU.
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
guest() { # guest NAME BODY: an executable stand-in for QEMU
	printf '#!/bin/sh\n%s\n' "$2" >"$d/$1" && chmod +x "$d/$1"
}
Q() { python3 "$ROOT/boot/qemu-run.py" --log "$d/log" --timeout 5 --grace 1 -- "$@"; }
guest rc3 'echo "[    1.000000] === GUEST-DONE rc=3"'
expect_fail 1 'guest rc=3' Q "$d/rc3"
grep -q '=== HOST: guest rc=3' "$d/log" || fail "no HOST line in the log: $(cat "$d/log")"
guest nodone 'echo booting; exit 7'
expect_fail 4 'guest ended without GUEST-DONE \(QEMU rc 7\)' Q "$d/nodone"
guest panic 'echo "Kernel panic - not syncing: Fatal exception"; sleep 30'
expect_fail 4 'guest panicked' Q "$d/panic"
guest late 'echo "=== GUEST-DONE rc=0"; echo "---[ end Kernel panic - not syncing: x ]---"; sleep 30'
expect_fail 4 'guest panicked after GUEST-DONE' Q "$d/late"
guest hang 'echo booting; sleep 30'
start=$(date +%s)
expect_fail 4 'TIMEOUT after 2 s: guest killed' \
	python3 "$ROOT/boot/qemu-run.py" --log "$d/log" --timeout 2 -- "$d/hang"
[ $(($(date +%s) - start)) -lt 10 ] || fail "the timeout did not stop the run"
grep -q 'HOST: TIMEOUT' "$d/log" || fail "timeout not logged: $(cat "$d/log")"
# A guest that stays up after GUEST-DONE is stopped after the grace time;
# the last line without a newline is logged too.
guest linger 'echo "=== GUEST-DONE rc=0"; printf "no newline"; sleep 30'
Q "$d/linger" 2>/dev/null || fail "a lingering guest with rc=0 failed: $(cat "$d/log")"
grep -q '\] no newline$' "$d/log" || fail "the unterminated last line was lost: $(cat "$d/log")"
expect_fail 2 'no QEMU command given' python3 "$ROOT/boot/qemu-run.py" --log "$d/log" --timeout 5
exit 0
