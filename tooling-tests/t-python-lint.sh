# Every Python file of the repository (*.py, and any file whose first line
# is a python shebang) is clean under `mypy --strict` and under pylint's
# duplicate-code check, run together over all of them.  Both come from
# Debian (python3-mypy, pylint: .ci/run installs them) and run under the
# interpreter that has them, /usr/bin/python3 when python3 on PATH does not.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import mypy, pylint' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || fail "no python3 with mypy and pylint (apt-get install python3-mypy pylint)"
# The repository's files: git's list where this is a checkout, else find.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	all=$(git ls-files)
else
	all=$(find . -path ./out -prune -o -path ./.git -prune -o -type f -print | sed 's|^\./||')
fi
files=()
while IFS= read -r f; do
	[ -f "$f" ] || continue
	case $f in
	*.py) files+=("$f") ;;
	*) head -1 "$f" 2>/dev/null | grep -qE '^#!.*python' && files+=("$f") ;;
	esac
done <<<"$all"
[ ${#files[@]} -gt 0 ] || fail "no Python files found under $ROOT"
echo "$py: $("$py" -m mypy --version), pylint $("$py" -m pylint --version | sed -n 's/^pylint //p'); ${#files[@]} files"
# No cache: a stale one must not hide a finding.
out=$("$py" -m mypy --strict --cache-dir=/dev/null "${files[@]}" 2>&1) ||
	fail "mypy --strict: $out"
out=$("$py" -m pylint --persistent=n --score=n --disable=all --enable=duplicate-code \
	"${files[@]}" 2>&1) || fail "pylint duplicate-code: $out"
[ -z "$out" ] || fail "pylint duplicate-code printed: $out"
exit 0
