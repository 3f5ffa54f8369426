# Every script's -h prints its own header comment (no hard-coded line
# ranges that drift) and exits 0.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
n=0
scripts=()
for dir in "${CODE_DIRS[@]}"; do scripts+=("$dir"/*.sh); done
for s in "${scripts[@]}"; do
	[ -f "$s" ] || continue
	n=$((n + 1))
	grep -q -- '-h|--help' "$s" || continue
	out=$("$s" -h 2>&1) || fail "$s -h exited non-zero"
	first=$(sed -n '2s/^# \{0,1\}//p' "$s")
	[ "$(printf '%s\n' "$out" | head -1)" = "$first" ] || fail "$s -h does not start with its header: $out"
	last=$(awk 'NR > 1 && !/^#/ {exit} NR > 1 {l = $0} END {sub(/^# ?/, "", l); print l}' "$s")
	[ "$(printf '%s\n' "$out" | tail -1)" = "$last" ] || fail "$s -h does not end with its header's last line"
done
[ "$n" -ge 15 ] || fail "only $n scripts found under ${CODE_DIRS[*]}"
