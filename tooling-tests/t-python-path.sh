# lib/lib.sh: the scripts run Debian's python3 (/usr/bin/python3, for which
# the Debian python modules are installed).  A directory before /usr/bin in
# PATH that holds another python3 is left out; every other directory stays,
# in its place.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/python3 ] || fail "no /usr/bin/python3 on this machine (Debian's python3 package)"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/shims" "$d/tools" "$d/late"
printf '#!/bin/sh\necho shim\n' >"$d/shims/python3"
printf '#!/bin/sh\necho late\n' >"$d/late/python3"
chmod +x "$d/shims/python3" "$d/late/python3"
got=$(PATH="$d/tools:$d/shims:/usr/bin:/bin:$d/late" /bin/bash -c '. "$1/lib/lib.sh" && printf "%s\n" "$PATH" && command -v python3' sh "$ROOT") ||
	fail "sourcing lib/lib.sh failed: $got"
want="$d/tools:/usr/bin:/bin:$d/late
/usr/bin/python3"
[ "$got" = "$want" ] || fail "PATH and python3: got '$got', want '$want'"
# What the scripts start inherits it.
got=$(PATH="$d/shims:/usr/bin:/bin" /bin/bash -c '. "$1/lib/lib.sh" && python3 -c "import sys; print(sys.executable)"' sh "$ROOT")
[ "$got" = /usr/bin/python3 ] || fail "a child's python3 is '$got'"
# A PATH without /usr/bin still finds it (/bin/python3 is the same file
# on a merged /usr).
got=$(PATH="$d/shims:/bin" /bin/bash -c '. "$1/lib/lib.sh" && command -v python3' sh "$ROOT")
if [ -z "$got" ] || ! [ "$got" -ef /usr/bin/python3 ]; then
	fail "without /usr/bin in PATH: '$got'"
fi
echo "ok"
