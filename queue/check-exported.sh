#!/bin/bash
# check-exported.sh: exit 0 only when the work tree has no uncommitted change
# and exporting base..queue would reproduce patches/ exactly.  Otherwise name
# what differs and exit 1.
#
#   queue/check-exported.sh [--tree DIR]    (default: out/linux)
. "$(dirname "$0")/../lib/lib.sh"

while [ $# -gt 0 ]; do
	case $1 in
	--tree) TREE_DIR=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "check-exported.sh: unknown argument '$1'" ;;
	esac
done

[ -d "$TREE_DIR/.git" ] || die $E_USAGE "no work tree at $TREE_DIR (run make src)"
rc=0
# --ignored: Debian's top-level .gitignore ignores every new file, so a
# new file that was never "git add -f"ed would otherwise go unnoticed.
dirty=$(tgit status --porcelain --ignored | grep -v '^!! \.checkpatch-camelcase\.')
if [ -n "$dirty" ]; then
	err "$TREE_DIR has uncommitted changes:"
	printf '%s\n' "$dirty" | sed 's/^/    /' >&2
	if printf '%s\n' "$dirty" | grep -q '^!!'; then
		err "('!!' = new file ignored by Debian's .gitignore: add it with git add -f)"
	fi
	rc=$E_FAIL
fi
head=$(tgit symbolic-ref -q --short HEAD || echo "(detached)")
if [ "$head" != queue ]; then
	err "$TREE_DIR: HEAD is on '$head', not on 'queue' (the branch that is exported)"
	rc=$E_FAIL
fi
tmp=$(mktemp -d "$OUT/check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$ROOT/queue/export.sh" --tree "$TREE_DIR" --to "$tmp" >/dev/null || exit $?
for f in "$tmp"/* "$ROOT"/patches/*; do
	b=$(basename "$f")
	case $b in cover-letter.txt|sections|'*') continue ;; esac
	if [ ! -e "$tmp/$b" ]; then
		err "patches/$b is not in base..queue (a commit was dropped or renamed)"
		rc=$E_FAIL
	elif [ ! -e "$ROOT/patches/$b" ]; then
		err "$b: commit in base..queue that is not exported to patches/"
		rc=$E_FAIL
	elif ! cmp -s "$tmp/$b" "$ROOT/patches/$b"; then
		err "patches/$b differs from the work tree's commit:"
		diff -u "$ROOT/patches/$b" "$tmp/$b" | head -40 | sed 's/^/    /' >&2
		rc=$E_FAIL
	fi
done
[ $rc = 0 ] && say OK "out/linux and patches/ agree ($(tgit rev-list --count base..queue) patches)"
[ $rc = 0 ] || err "run 'make export' (and commit patches/), or fix out/linux"
exit $rc
