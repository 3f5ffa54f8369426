# lint-scripts.sh passes on a copy of the scripts, then fails on planted
# findings: shellcheck's (the guest scripts checked as POSIX sh), a
# directive without a reason and pyflakes'; it names the file, the line and
# the code of each.  (The lint gate runs it on the repository itself.)
. "$(dirname "$0")/lib.sh"
command -v shellcheck >/dev/null || fail "shellcheck is not installed"
command -v pyflakes3 >/dev/null || fail "pyflakes3 is not installed (python3-pyflakes)"
d=$(scratch); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/tooling-tests" && cp "$ROOT"/tooling-tests/*.sh "$d/tooling-tests/"
out=$(env OUT="$OUT" "$d/gates/lint-scripts.sh" 2>&1) || fail "a clean copy has findings: $out"
cat >>"$d/tooling-tests/t-scan.sh" <<'S'
x="a b"
ls $x
S
cat >>"$d/boot/guest/run.sh" <<'S'
[[ -n "$1" ]] && echo yes
S
printf '%s\n' '# shellcheck disable=SC2086' 'echo $#' >>"$d/build/bisect-build.sh"
printf 'import shlex\n' >>"$d/boot/ktap.py"
out=$(env OUT="$OUT" "$d/gates/lint-scripts.sh" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "lint-scripts.sh exited $rc on findings, expected 1: $out"
for re in '^tooling-tests/t-scan\.sh:[0-9]+:4: .*\[SC2086\]' \
	'^boot/guest/run\.sh:[0-9]+:1: .*\[SC3010\]' \
	'^build/bisect-build\.sh:[0-9]+:1: error: shellcheck directive without a reason' \
	"^boot/ktap\\.py:[0-9]+:([0-9]+:)? 'shlex' imported but unused" \
	'^error: lint-scripts.sh: [0-9]+ shellcheck finding' '^error: lint-scripts.sh: 1 pyflakes finding'; do
	printf '%s\n' "$out" | grep -qE -- "$re" || fail "lint-scripts.sh did not say /$re/: $out"
done
exit 0
