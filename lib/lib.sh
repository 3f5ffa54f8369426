# shellcheck shell=bash
# Common helpers of the harness's scripts.  Source it, do not run it.
#
# Exit codes used by every script (see README.md):
#   0 ok, 1 a check or test failed, 2 usage or environment error,
#   3 build failed, 4 boot failed or timed out, 125 cannot test (git bisect).

set -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The directories of the harness's code, by concern (README.md, "Layout").
# shellcheck disable=SC2034 # used by the scripts that source this file
CODE_DIRS=(queue build boot gates bench soak lib)
# The files of the benchmark module's out-of-tree build (bench/Kbuild):
# copied into a directory of their own and built with M= against a tree.
# shellcheck disable=SC2034 # used by the scripts that source this file
BENCH_MODULE_FILES=(slab_bench.c Kbuild cases cases-h.awk)
OUT=${OUT:-$ROOT/out}
LOGS=$OUT/logs
# The work tree (base + queue).  Not taken from the environment: a script
# that works on another tree says so with its --tree (or --dir) option.
TREE_DIR=$OUT/linux
V=${V:-0}

# python3 is Debian's, /usr/bin/python3: the modules the scripts and the
# tree's own tools need are Debian packages, installed for it by .ci/run
# and need_pkgs (python3-git and python3-ply for checkpatch's
# spdxcheck.py; pyflakes, mypy and pylint for the lint gate).  A directory
# of PATH before it that holds another python3 is left out of PATH for
# the scripts and what they start.  On these machines that is pyenv's
# shim directory: its python3 is a bash script that took about 1 s to
# start the interpreter against 0.09 s for /usr/bin/python3 (5 starts
# each while a build ran, 2026-12-05), and build-each alone starts three
# per patch.
prefer_debian_python() {
	local d seen='' keep=() IFS=:
	[ -x /usr/bin/python3 ] || return 0
	for d in $PATH; do
		case $d in
		/usr/bin|/usr/bin/|/bin|/bin/) seen=1 ;;
		*)
			# Before Debian's directory: not when it has a python3 of
			# its own.
			[ -n "$seen" ] || ! [ -x "$d/python3" ] ||
				[ "$d/python3" -ef /usr/bin/python3 ] || continue ;;
		esac
		keep+=("$d")
	done
	[ -n "$seen" ] || keep+=(/usr/bin)
	PATH="${keep[*]}"
	export PATH
}
prefer_debian_python

# shellcheck disable=SC2034 # used by the scripts that source this file
{
	E_OK=0
	E_FAIL=1
	E_USAGE=2
	E_BUILD=3
	E_BOOT=4
	E_SKIP=125
}

# Sourcing this file only defines: no directory is made, nothing is
# written.  need_logs makes $LOGS for a script that writes there.
need_logs() { mkdir -p "$LOGS"; }

# Deterministic git: no personal configuration, fixed identity and dates.
export GIT_CONFIG_GLOBAL=/dev/null
export GIT_CONFIG_SYSTEM=/dev/null
export GIT_CONFIG_NOSYSTEM=1
PIN_NAME="SLUB sheaves queue"
PIN_EMAIL="queue@sheaves.invalid"
# shellcheck disable=SC2034 # used by src.sh and export.sh
PIN_DATE="2025-01-01T00:00:00+0000"

# usage SCRIPT: print the comment block at the top of SCRIPT (after the
# #! line), so that -h never drifts from the script's own description.
usage() {
	awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$1"
}

# Kbuild-style progress line: "  VERB    what"
say() { printf '  %-8s%s\n' "$1" "$2"; }
info() { printf '%s\n' "$*"; }
# err MSG: "error: SCRIPT: MSG" on stderr; every error names the script
# that gives it (a message that already starts with "SCRIPT:" keeps it).
SELF=${0##*/}
err() {
	local m="$*"
	[[ $m == "$SELF:"* ]] || m="$SELF: $m"
	printf 'error: %s\n' "$m" >&2
}
die() { local rc=$1; shift; err "$*"; exit "$rc"; }

# run CMD... : run quietly (output to $RUNLOG if set), or verbosely with V=1.
run() {
	if [ "$V" = 1 ]; then
		echo "+ $*" >&2
		"$@"
	elif [ -n "${RUNLOG:-}" ]; then
		"$@" >>"$RUNLOG" 2>&1
	else
		"$@"
	fi
}

base_get() {
	sed -n "s/^$1=//p" "$ROOT/BASE"
}

# git inside the work tree (or $1 = another tree) with pinned identity.
tgit() {
	GIT_AUTHOR_NAME=$PIN_NAME GIT_AUTHOR_EMAIL=$PIN_EMAIL \
	GIT_COMMITTER_NAME=$PIN_NAME GIT_COMMITTER_EMAIL=$PIN_EMAIL \
		git -C "$TREE_DIR" -c core.autocrlf=false -c core.fileMode=true \
		-c advice.detachedHead=false -c gc.auto=0 "$@"
}

# Install missing Debian packages (needs root or sudo); a no-op when present.
need_pkgs() {
	local absent=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			absent+=("$p")
	done
	[ ${#absent[@]} -eq 0 ] && return 0
	need_logs
	say APT "${absent[*]}"
	local sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		"${absent[@]}" >"$LOGS/apt.log" 2>&1; then
		$sudo apt-get update -q >>"$LOGS/apt.log" 2>&1
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			"${absent[@]}" >>"$LOGS/apt.log" 2>&1 ||
			die $E_USAGE "apt-get install ${absent[*]} failed (see $LOGS/apt.log)"
	fi
}

# kbuild_env COMPILER: the compiler (with ccache when installed and not
# disabled) in CC, and the environment of every kernel build the harness
# makes: ccache's keys independent of where out/ is and of
# __DATE__/__TIME__, and Kbuild's timestamp, user and host pinned
# (identical trees give identical objects).  With CCACHE_DISABLE set (as
# ccache reads it: to any value, even empty, but 0, false, disable or no,
# which ccache refuses; .ci/run sets it) the compiler is started
# directly: through a disabled ccache, every compile and every one of
# Kbuild's compiler probes would start one more program for nothing.
kbuild_env() {
	CC=$1
	local use=1
	if [ -n "${CCACHE_DISABLE+set}" ]; then
		case ${CCACHE_DISABLE,,} in
		0|false|disable|no) ;;
		*) use= ;;
		esac
	fi
	if [ -n "$use" ] && command -v ccache >/dev/null; then
		CC="ccache $CC"
		export CCACHE_BASEDIR=$OUT CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
	fi
	export KBUILD_BUILD_TIMESTAMP="Wed Jan  1 00:00:00 UTC 2025"
	export KBUILD_BUILD_USER=queue KBUILD_BUILD_HOST=sheaves
	# A make that called us (make test V=1, make -s) passes its flags and
	# command-line variables down through MAKEFLAGS: the kernel's make
	# would turn verbose or silent and print no "  CC  target" lines.  The
	# kernel build takes only what the scripts give it.
	unset MAKEFLAGS MFLAGS MAKELEVEL
}

# Packages every script may need.
# shellcheck disable=SC2034 # used by the scripts that source this file
TOOL_PKGS=(build-essential bc bison flex libelf-dev libssl-dev cpio kmod
	python3 python3-ply python3-git ccache qemu-system-x86 busybox-static
	rt-tests sparse xz-utils gnuplot-nox gcc-aarch64-linux-gnu)

check_choice() { # check_choice NAME VALUE ALLOWED...
	local name=$1 val=$2 a
	shift 2
	for a in "$@"; do [ "$val" = "$a" ] && return 0; done
	die $E_USAGE "unknown $name '$val' (expected one of: $*)"
}

# baseline_tree: print the path of the baseline's tree (the pinned base with
# an empty series, out/bench/linux-base), laying it out when it is missing or
# not at the base of out/linux.  The benchmark and the soak's latency
# comparison build it.
baseline_tree() {
	local bt=$OUT/bench/linux-base empty
	if [ ! -d "$bt/.git" ] ||
	   [ "$(git -C "$bt" rev-parse HEAD)" != "$(git -C "$TREE_DIR" rev-parse base)" ]; then
		empty=$(mktemp -d)
		printf '# empty: the baseline\n' >"$empty/series"
		say TREE "baseline (empty series) in ${bt#"$ROOT"/}" >&2
		"$ROOT/queue/src.sh" --dir "$bt" --patches "$empty" >/dev/null ||
			{ rm -rf "$empty"; return $E_USAGE; }
		rm -rf "$empty"
	fi
	echo "$bt"
}
