# boot/uml-xstate.c, preloaded into 6.12's UML by boot.sh: a ptrace()
# SETREGSET of the XSAVE area shorter than the host's is refused without
# it (EFAULT: what kills UML's user space on AMX hosts) and done with it,
# with the caller's bytes in place; a short GETREGSET returns the area's
# first bytes either way.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: not an x86_64 host"; exit 0; }
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$d/shim.so" boot/uml-xstate.c ||
	fail "boot/uml-xstate.c does not build"
gcc -O2 -Wall -Wextra -Werror -o "$d/check" tooling-tests/uml-xstate-check.c ||
	fail "tooling-tests/uml-xstate-check.c does not build"
out=$("$d/check" plain); rc=$?
[ "$rc" = 77 ] && { echo "SKIP: $out"; exit 0; }
[ "$rc" = 0 ] || fail "without the shim: $out"
out=$(LD_PRELOAD=$d/shim.so "$d/check" shim) || fail "with the shim: $out"
printf '%s\n' "$out" | grep -qx 'short set: done' || fail "with the shim, the short set: $out"
echo "ok: $(printf '%s\n' "$out" | head -1)"
