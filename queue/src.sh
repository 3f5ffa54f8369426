#!/bin/bash
# src.sh: lay out the work tree out/linux = pinned base + patches/series.
#
#   queue/src.sh [--dir DIR] [--patches DIR] [--branch NAME]
#
# 1. Installs the pinned Debian package (BASE: PACKAGE=VERSION) if missing and
#    verifies the tarball's sha256.
# 2. Imports the tarball once into the bare repository out/base.git as one
#    deterministic commit (fixed identity and date), tagged "base"; its tree id
#    must equal BASE's TREE, so the commit id is the same on every machine.
# 3. Clones it into DIR (default out/linux) and applies the series with
#    "git am" (exact context, no fuzz, pinned committer) onto branch "queue".
#    A DIR that does not exist yet when the tarball is imported is made of
#    the extracted files and the import's index, with nothing to check out.
#
# An existing DIR is never thrown away: uncommitted changes stop the script,
# and a queue branch that differs from what is applied is kept as
# backup/queue-<n> first.
. "$(dirname "$0")/../lib/lib.sh"

PATCHES=$ROOT/patches
BRANCH=queue
DIR=$TREE_DIR
while [ $# -gt 0 ]; do
	case $1 in
	--dir) DIR=$2; shift 2 ;;
	--patches) PATCHES=$2; shift 2 ;;
	--branch) BRANCH=$2; shift 2 ;;
	-h|--help) usage "$0"; exit 0 ;;
	*) die $E_USAGE "src.sh: unknown argument '$1'" ;;
	esac
done
DIR=${DIR%/}
TREE_DIR=$DIR

PKG=$(base_get PACKAGE)
VER=$(base_get VERSION)
TARBALL=$(base_get TARBALL)
TOPDIR=$(base_get TOPDIR)
SHA=$(base_get SHA256)
TREE=$(base_get TREE)
BASE_GIT=$OUT/base.git

{ [ -n "$PKG" ] && [ -n "$VER" ] && [ -n "$SHA" ] && [ -n "$TREE" ]; } ||
	die $E_USAGE "BASE is incomplete: PACKAGE, VERSION, SHA256 and TREE are required"
need_logs

# --- 1. package and checksum -------------------------------------------------
found=$(dpkg-query -W -f='${Status} ${Version}' "$PKG" 2>/dev/null |
	sed -n 's/^install ok installed //p')
if [ "$found" != "$VER" ]; then
	say APT "$PKG=$VER${found:+ (installed: $found)}"
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	{ $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--allow-downgrades "$PKG=$VER" ||
	  { $sudo apt-get update -q &&
	    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--allow-downgrades "$PKG=$VER"; }; } >"$LOGS/apt-src.log" 2>&1
	found=$(dpkg-query -W -f='${Status} ${Version}' "$PKG" 2>/dev/null |
		sed -n 's/^install ok installed //p')
	[ "$found" = "$VER" ] ||
		die $E_USAGE "package $PKG: expected version $VER, found '${found:-not installed}' (apt log: $LOGS/apt-src.log)"
fi
[ -f "$TARBALL" ] || die $E_USAGE "$TARBALL missing although $PKG $VER is installed"
say SHA256 "$TARBALL"
got=$(sha256sum "$TARBALL" | cut -d' ' -f1)
[ "$got" = "$SHA" ] ||
	die $E_USAGE "checksum mismatch for $TARBALL: expected $SHA (BASE), found $got"

# --- 2. deterministic base import ---------------------------------------------
bgit() {
	GIT_AUTHOR_NAME=$PIN_NAME GIT_AUTHOR_EMAIL=$PIN_EMAIL \
	GIT_COMMITTER_NAME=$PIN_NAME GIT_COMMITTER_EMAIL=$PIN_EMAIL \
	GIT_AUTHOR_DATE=$PIN_DATE GIT_COMMITTER_DATE=$PIN_DATE \
		git --git-dir="$BASE_GIT" -c core.autocrlf=false -c gc.auto=0 "$@"
}
have=$(bgit rev-parse -q --verify 'base^{tree}' 2>/dev/null || true)
if [ "$have" != "$TREE" ] || [ "$(cat "$BASE_GIT/pinned-sha256" 2>/dev/null)" != "$SHA" ]; then
	rm -rf "$BASE_GIT" "$OUT/import"
	mkdir -p "$OUT/import"
	say IMPORT "$TARBALL"
	tar -C "$OUT/import" -xf "$TARBALL" ||
		die $E_USAGE "cannot extract $TARBALL"
	[ -d "$OUT/import/$TOPDIR" ] || die $E_USAGE "$TARBALL has no $TOPDIR/"
	git init -q --bare "$BASE_GIT"
	export GIT_WORK_TREE=$OUT/import/$TOPDIR
	# An index of its own: it can become the new work tree's (below).
	export GIT_INDEX_FILE=$OUT/import/index
	bgit add -f -A .
	got_tree=$(bgit write-tree)
	if [ "$got_tree" != "$TREE" ]; then
		rm -rf "$BASE_GIT" "$OUT/import"
		die $E_USAGE "imported tree id mismatch: expected $TREE (BASE), found $got_tree"
	fi
	kv=$(make -s -C "$GIT_WORK_TREE" kernelversion 2>/dev/null)
	commit=$(printf 'Linux %s (%s %s)\n\nImported from %s, sha256 %s.\n' \
		"$kv" "$PKG" "$VER" "$(basename "$TARBALL")" "$SHA" |
		bgit commit-tree "$got_tree")
	bgit update-ref refs/heads/master "$commit"
	bgit tag base "$commit"
	unset GIT_WORK_TREE GIT_INDEX_FILE
	echo "$SHA" >"$BASE_GIT/pinned-sha256"
	# A new work tree on the same file system takes the extracted files and
	# their index as they are: the checkout below then has nothing to
	# write (90,000 files; a fresh CI machine imports every time).  The
	# repository is made complete beside them first and moved in last; if
	# anything fails, the ordinary clone below does the work.
	if [ ! -e "$DIR" ] && mkdir -p "$(dirname "$DIR")" &&
	   [ "$(stat -c %d "$OUT/import")" = "$(stat -c %d "$(dirname "$DIR")")" ]; then
		say CLONE "$DIR (the imported files)"
		rm -rf "$DIR.clone"
		if git clone -q --no-checkout "$BASE_GIT" "$DIR.clone" &&
		   git -C "$DIR.clone" remote remove origin &&
		   mv "$OUT/import/index" "$DIR.clone/.git/index" &&
		   mv "$OUT/import/$TOPDIR" "$DIR"; then
			mv "$DIR.clone/.git" "$DIR/.git" || rm -rf "$DIR"
		fi
		rm -rf "$DIR.clone"
	fi
	rm -rf "$OUT/import"
fi
BASE_COMMIT=$(bgit rev-parse base)

# --- 3. work tree and series ---------------------------------------------------
if [ -d "$DIR/.git" ]; then
	# shellcheck disable=SC2143 # with pipefail, grep -q could SIGPIPE git and fail the pipe
	[ -z "$(tgit status --porcelain --ignored | grep -v '^!! \.checkpatch-camelcase\.')" ] ||
		die $E_FAIL "$DIR has uncommitted changes; commit them (then make export) or remove them first"
	tgit fetch -q "$BASE_GIT" "+refs/tags/base:refs/tags/base"
else
	say CLONE "$DIR"
	rm -rf "$DIR"
	git clone -q --no-checkout "$BASE_GIT" "$DIR"
	tgit remote remove origin
fi

old=$(tgit rev-parse -q --verify "refs/heads/$BRANCH" || true)
tmpbr=apply-$$
tgit checkout -q -f -B "$tmpbr" "$BASE_COMMIT"

series=$PATCHES/series
[ -f "$series" ] || die $E_USAGE "no series file at $series"
n=0
while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	[ -f "$PATCHES/$p" ] || {
		tgit checkout -q -f "${old:-$BASE_COMMIT}"; tgit branch -q -D "$tmpbr"
		die $E_FAIL "series names $p but $PATCHES/$p does not exist"
	}
	say APPLY "$p"
	if ! GIT_COMMITTER_DATE=$PIN_DATE tgit am -q --committer-date-is-author-date \
		--no-3way "$PATCHES/$p" >"$LOGS/apply.log" 2>&1; then
		tgit am --abort >/dev/null 2>&1
		sed 's/^/    /' "$LOGS/apply.log" >&2
		tgit checkout -q -f "${old:-$BASE_COMMIT}"
		tgit branch -q -D "$tmpbr"
		die $E_FAIL "patch $p does not apply to the base with exact context (fuzz 0)"
	fi
	n=$((n + 1))
done <"$series"

new=$(tgit rev-parse HEAD)
if [ -n "$old" ] && [ "$old" != "$new" ] &&
   ! tgit merge-base --is-ancestor "$old" "$new"; then
	i=1
	while tgit rev-parse -q --verify "refs/heads/backup/$BRANCH-$i" >/dev/null; do
		i=$((i + 1))
	done
	tgit branch -q "backup/$BRANCH-$i" "$old"
	info "note: previous $BRANCH kept as backup/$BRANCH-$i"
fi
tgit checkout -q -B "$BRANCH" "$new"
tgit branch -q -D "$tmpbr"
say DONE "$DIR: base $(git -C "$DIR" rev-parse --short=12 base) + $n patches on $BRANCH"
