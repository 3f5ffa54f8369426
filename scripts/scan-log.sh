#!/bin/bash
# scan-log.sh LOG [full|lockdep]: list splats in a console log; exit 1 if any.
#   full:    BUG:, WARNING:, KASAN, lockdep, Objects remaining, panics
#   lockdep: only lockdep, RCU-lockdep and atomic-sleep reports and panics
#            (for boots that run the KASAN/KFENCE suites, whose reports are
#            intended).
. "$(dirname "$0")/lib.sh"
LOGF=${1:?usage: scan-log.sh LOG [full|lockdep]}
MODE=${2:-full}
check_choice mode "$MODE" full lockdep
[ -f "$LOGF" ] || die $E_USAGE "no log $LOGF"
LOCKDEP='circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|BUG: sleeping function|BUG: scheduling while atomic|DEBUG_LOCKS_WARN_ON|possible irq lock inversion|Kernel panic|Oops:|BUG: kernel NULL|general protection fault'
FULL="BUG:|WARNING:|KASAN|circular locking|possible recursive locking|Objects remaining|inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|Kernel panic|Oops:|general protection fault"
[ "$MODE" = full ] && pat=$FULL || pat=$LOCKDEP
# Only kernel output: the guest's own echo of the pattern list is not a splat.
hits=$(grep -E "$pat" "$LOGF" | grep -v 'SPLAT=' || true)
if [ -n "$hits" ]; then
	n=$(printf '%s\n' "$hits" | wc -l)
	err "$n splat line(s) in $LOGF ($MODE scan):"
	printf '%s\n' "$hits" | head -20 | sed 's/^/    /' >&2
	exit $E_FAIL
fi
say SCAN "$(basename "$LOGF"): no splats ($MODE)"
