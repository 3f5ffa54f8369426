#!/bin/bash
# lint-scripts.sh: static checks of the harness's own scripts (part of the
# lint gate of gates/test.sh).
#
#   gates/lint-scripts.sh
#
# Runs shellcheck, every finding down to style ones, sourced files followed:
# as bash the *.sh of the code directories (CODE_DIRS in lib/lib.sh),
# tooling-tests/*.sh and .ci/run; as POSIX sh boot/guest/init and
# boot/guest/*.sh (busybox sh runs them in the guest); any other tracked file
# whose #! line names sh or bash, as that shell.  A finding that is meant
# gets a directive with its reason on the line before it:
#   # shellcheck disable=SCxxxx # why
# and a directive without a reason is a finding too.  pyflakes over the
# Python scripts.  Prints every finding as FILE:LINE:COL: ... [SCxxxx].
# Exit: 0 no finding, 1 findings, 2 usage error or a tool is missing.
. "$(dirname "$0")/../lib/lib.sh"

while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "lint-scripts.sh: unknown argument '$1'" ;;
	esac
done
command -v shellcheck >/dev/null || need_pkgs shellcheck
command -v pyflakes3 >/dev/null || need_pkgs python3-pyflakes
command -v shellcheck >/dev/null || die $E_USAGE "shellcheck missing (package shellcheck)"
command -v pyflakes3 >/dev/null || die $E_USAGE "pyflakes3 missing (package python3-pyflakes)"

cd "$ROOT" || exit $E_USAGE
shopt -s nullglob
BASH_FILES=() PY_FILES=()
for dir in "${CODE_DIRS[@]}"; do
	BASH_FILES+=("$dir"/*.sh)
	PY_FILES+=("$dir"/*.py)
done
BASH_FILES+=(tooling-tests/*.sh)
[ -f .ci/run ] && BASH_FILES+=(.ci/run)
SH_FILES=(boot/guest/*.sh)
[ -f boot/guest/init ] && SH_FILES+=(boot/guest/init)
# Shell and Python files elsewhere in the repository, by their #! line or name.
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$ROOT" ]; then
	listed=" ${BASH_FILES[*]} ${SH_FILES[*]} ${PY_FILES[*]} "
	while IFS= read -r f; do
		[[ $listed == *" $f "* ]] && continue
		[ -f "$f" ] || continue
		first=
		IFS= read -r first <"$f"
		case $first in
		'#!/bin/sh'*|'#!/usr/bin/env sh'*) SH_FILES+=("$f") ;;
		'#!/bin/bash'*|'#!/usr/bin/env bash'*) BASH_FILES+=("$f") ;;
		'#!'*python*) PY_FILES+=("$f") ;;
		*) [[ $f == *.py ]] && PY_FILES+=("$f") ;;
		esac
	done < <(git ls-files)
fi

findings=$(mktemp)
trap 'rm -f "$findings"' EXIT
# -x -P SCRIPTDIR as in .shellcheckrc: this check does not depend on it.
# Its exit status: 0 clean, 1 findings, anything else it could not check.
sc() {
	local shell=$1
	shift
	[ $# -gt 0 ] || return 0
	shellcheck -x -P SCRIPTDIR -f gcc -s "$shell" "$@" >>"$findings" && return 0
	[ $? = 1 ] || die $E_USAGE "shellcheck -s $shell could not check the files"
}
sc bash "${BASH_FILES[@]}"
sc sh "${SH_FILES[@]}"
grep -nE '^[[:space:]]*# *shellcheck +disable=' "${BASH_FILES[@]}" "${SH_FILES[@]}" /dev/null |
	grep -vE 'disable=[A-Za-z0-9,]+ +# *[^ ]' |
	sed -E 's/^([^:]+:[0-9]+):.*/\1:1: error: shellcheck directive without a reason (# shellcheck disable=SCxxxx # why) [directive]/' >>"$findings"
nsc=$(grep -c . "$findings")
[ ${#PY_FILES[@]} -eq 0 ] || pyflakes3 "${PY_FILES[@]}" >>"$findings" 2>&1
npy=$(( $(grep -c . "$findings") - nsc ))
if [ "$nsc" -gt 0 ] || [ "$npy" -gt 0 ]; then
	cat "$findings"
	[ "$nsc" = 0 ] || err "$nsc shellcheck finding(s): fix them, or, where one is meant, put" \
		"'# shellcheck disable=SCxxxx # reason' on the line before it"
	[ "$npy" = 0 ] || err "$npy pyflakes finding(s)"
	exit $E_FAIL
fi
echo "shellcheck: ${#BASH_FILES[@]} bash and ${#SH_FILES[@]} sh files clean;" \
	"pyflakes: ${#PY_FILES[@]} Python files clean"
