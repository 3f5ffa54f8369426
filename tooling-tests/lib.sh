# helpers for tooling-tests/t-*.sh
set -u
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
OUT=${OUT:-$ROOT/out}
# The harness's code directories, as lib/lib.sh lists them (CODE_DIRS).
read -ra CODE_DIRS <<<"$(sed -n 's/^CODE_DIRS=(\(.*\))$/\1/p' "$ROOT/lib/lib.sh")"
[ ${#CODE_DIRS[@]} -gt 0 ] || { echo "FAIL: no CODE_DIRS line in $ROOT/lib/lib.sh"; exit 1; }
fail() { echo "FAIL: $*"; exit 1; }
# expect_fail RC REGEX CMD...: CMD must exit with RC and print REGEX
expect_fail() {
	local want=$1 re=$2 out rc
	shift 2
	out=$("$@" 2>&1); rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want; output: $out"
	printf '%s\n' "$out" | grep -qE -- "$re" || fail "'$*' did not say /$re/; output: $out"
}
scratch() { # a throw-away copy of the repository's scripts, BASE and patches
	local d
	d=$(mktemp -d "$OUT/tooltest.XXXXXX")
	local x
	for x in "${CODE_DIRS[@]}" BASE patches configs; do
		cp -r "$ROOT/$x" "$d/" || return 1
	done
	echo "$d"
}
