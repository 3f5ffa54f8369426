# A wrong checksum or version in BASE stops src.sh with both values named.
. "$(dirname "$0")/lib.sh"
d=$(scratch); trap 'rm -rf "$d"' EXIT
sed -i 's/^SHA256=.*/SHA256=0000000000000000000000000000000000000000000000000000000000000000/' "$d/BASE"
expect_fail 2 'checksum mismatch.*expected 0{64} \(BASE\), found [0-9a-f]{64}' \
	env OUT="$OUT" "$d/queue/src.sh" --dir "$d/linux"
[ ! -e "$d/linux" ] || fail "a tree was created despite the checksum error"
d2=$(scratch); trap 'rm -rf "$d" "$d2"' EXIT
sed -i 's/^VERSION=.*/VERSION=6.12.999-9~nonexistent/' "$d2/BASE"
expect_fail 2 'expected version 6.12.999-9~nonexistent, found' \
	env OUT="$OUT" "$d2/queue/src.sh" --dir "$d2/linux"
