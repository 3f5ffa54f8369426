# helpers for tests/t-*.sh
set -u
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
OUT=${OUT:-$ROOT/out}
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
	cp -r "$ROOT/scripts" "$ROOT/BASE" "$ROOT/patches" "$ROOT/configs" "$ROOT/guest" "$d/"
	echo "$d"
}
