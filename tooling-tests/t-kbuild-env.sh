# lib/lib.sh kbuild_env: the compiler goes through ccache when ccache is
# installed and not disabled; with CCACHE_DISABLE set as ccache reads it
# (any value, even empty; 0, false, disable and no are errors to ccache,
# left to it) the compiler is started directly, not through a ccache that
# would only start it.
. "$(dirname "$0")/lib.sh"
command -v ccache >/dev/null || fail "ccache is not installed (.ci/run installs it)"
# shellcheck disable=SC2016 # $1 and $CC: the inner bash's
cc_with() { # cc_with unset|VALUE: CC after kbuild_env gcc
	if [ "$1" = unset ]; then
		env -u CCACHE_DISABLE bash -c '. "$1/lib/lib.sh" && kbuild_env gcc && echo "$CC"' sh "$ROOT"
	else
		CCACHE_DISABLE=$1 bash -c '. "$1/lib/lib.sh" && kbuild_env gcc && echo "$CC"' sh "$ROOT"
	fi
}
for v in unset 0 FALSE no; do
	[ "$(cc_with "$v")" = "ccache gcc" ] || fail "CCACHE_DISABLE=$v: CC is '$(cc_with "$v")', want 'ccache gcc'"
done
for v in 1 "" true yes; do
	[ "$(cc_with "$v")" = gcc ] || fail "CCACHE_DISABLE='$v': CC is '$(cc_with "$v")', want 'gcc'"
done
echo "ok"
