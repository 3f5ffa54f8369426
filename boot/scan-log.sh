#!/bin/bash
# scan-log.sh LOG [full|lockdep]: list splats in a console log; exit 1 if any.
#   full:    every pattern of boot/guest/splat-patterns (BUG:, WARNING:, KASAN,
#            lockdep, RCU stalls, hung tasks, Objects remaining, panics, ...)
# On a splat it also prints the report that starts at the first one (up to
# 60 console lines: the registers and call trace), so that a CI log that
# shows only this output still tells where the kernel failed.
#   lockdep: only the patterns of scope "all" there: lockdep, RCU-lockdep and
#            atomic-sleep reports and panics
#            (for boots that run the KASAN/KFENCE suites, whose reports are
#            intended).
# Expected splats: a test that provokes a kernel warning on purpose prints
#   EXPECT-SPLAT: <extended regular expression>
# on the console first.  Each such line accepts exactly one later splat line
# that matches it; a declared splat that never comes is a failure too (the
# warning the test relies on went missing).
. "$(dirname "$0")/../lib/lib.sh"
LOGF=${1:?usage: scan-log.sh LOG [full|lockdep]}
MODE=${2:-full}
check_choice mode "$MODE" full lockdep
[ -f "$LOGF" ] || die $E_USAGE "scan-log.sh: no log $LOGF"
# The patterns: boot/guest/splat-patterns (the one list; the guest reads it too).
PATTERNS=$ROOT/boot/guest/splat-patterns
[ -f "$PATTERNS" ] || die $E_USAGE "scan-log.sh: no pattern list $PATTERNS"
pat=$(awk -v mode="$MODE" '!/^#/ && NF { s = $1; sub(/^[^ ]+ /, "")
	if (s == "all" || mode == "full") printf "%s%s", (n++ ? "|" : ""), $0 }' "$PATTERNS")
[ -n "$pat" ] || die $E_USAGE "scan-log.sh: $PATTERNS lists no pattern for the $MODE scan"
# Only kernel output: the guest's own echo of the pattern list is not a
# splat, nor is a declaration.  awk pairs declarations with later hits.
# (ENVIRON, not -v: awk -v would eat the patterns' backslashes.)
out=$(SCAN_PAT=$pat awk '
	BEGIN { pat = ENVIRON["SCAN_PAT"] }
	/EXPECT-SPLAT: / {
		d = $0; sub(/.*EXPECT-SPLAT: /, "", d); sub(/\r$/, "", d)
		ndecl++; decl[ndecl] = d; used[ndecl] = 0; next
	}
	/SPLAT=/ { next }
	$0 ~ pat {
		for (i = 1; i <= ndecl; i++)
			if (!used[i] && $0 ~ decl[i]) { used[i] = 1; print "E\t" $0; next }
		print "H\t" $0
		if (!first) { first = NR; print "F\t" NR }
	}
	END { for (i = 1; i <= ndecl; i++) if (!used[i]) print "M\t" decl[i] }
' "$LOGF")
hits=$(printf '%s\n' "$out" | sed -n 's/^H\t//p')
missing=$(printf '%s\n' "$out" | sed -n 's/^M\t//p')
nexp=$(printf '%s\n' "$out" | grep -c '^E' || true)
rc=0
if [ -n "$hits" ]; then
	n=$(printf '%s\n' "$hits" | wc -l)
	err "scan-log.sh: $n splat line(s) in $LOGF ($MODE scan):"
	printf '%s\n' "$hits" | head -20 | sed 's/^/    /' >&2
	first=$(printf '%s\n' "$out" | sed -n 's/^F\t//p')
	err "scan-log.sh: the report at the first one (line $first of $LOGF):"
	sed -n "${first},$((first + 59))p" "$LOGF" | sed 's/^/    | /' >&2
	rc=$E_FAIL
fi
if [ -n "$missing" ] && [ "$MODE" = full ]; then
	err "scan-log.sh: expected splat(s) that did not appear in $LOGF:"
	printf '%s\n' "$missing" | sed 's/^/    /' >&2
	rc=$E_FAIL
fi
[ $rc = 0 ] || exit $rc
say SCAN "$(basename "$LOGF"): no splats ($MODE)$([ "$nexp" -gt 0 ] && echo ", $nexp expected accepted")"
