# Every script's -h prints its own header comment (no hard-coded line
# ranges that drift) and exits 0.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
for s in queue/*.sh build/*.sh boot/*.sh gates/*.sh bench/*.sh soak/*.sh; do
	grep -q -- '-h|--help' "$s" || continue
	out=$("$s" -h 2>&1) || fail "$s -h exited non-zero"
	first=$(sed -n '2s/^# \{0,1\}//p' "$s")
	[ "$(printf '%s\n' "$out" | head -1)" = "$first" ] || fail "$s -h does not start with its header: $out"
	last=$(awk 'NR > 1 && !/^#/ {exit} NR > 1 {l = $0} END {sub(/^# ?/, "", l); print l}' "$s")
	[ "$(printf '%s\n' "$out" | tail -1)" = "$last" ] || fail "$s -h does not end with its header's last line"
done
