# boot/mkinitramfs.sh writes the same bytes for the same contents: an
# icount boot counts the instructions of unpacking the archive, so an
# archive that changed with the time it was made (or with its files'
# mtimes) moved every later event of the guest's run.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
printf 'echo hello\n' >"$d/job.sh"
printf 'data\n' >"$d/extra"
boot/mkinitramfs.sh "$d/a.cpio.gz" --job "$d/job.sh" --file "$d/extra:/extra/data" >"$d/a.log" 2>&1 ||
	fail "mkinitramfs.sh failed: $(tail -3 "$d/a.log")"
sleep 1.1
touch "$d/job.sh" "$d/extra"
boot/mkinitramfs.sh "$d/b.cpio.gz" --job "$d/job.sh" --file "$d/extra:/extra/data" >"$d/b.log" 2>&1 ||
	fail "mkinitramfs.sh failed the second time: $(tail -3 "$d/b.log")"
cmp -s "$d/a.cpio.gz" "$d/b.cpio.gz" ||
	fail "two archives of the same contents, made a second apart, differ"
printf 'other\n' >"$d/extra"
boot/mkinitramfs.sh "$d/c.cpio.gz" --job "$d/job.sh" --file "$d/extra:/extra/data" >"$d/c.log" 2>&1 ||
	fail "mkinitramfs.sh failed the third time: $(tail -3 "$d/c.log")"
cmp -s "$d/a.cpio.gz" "$d/c.cpio.gz" && fail "archives of different contents are the same"
echo "ok: same contents, same bytes ($(stat -c %s "$d/a.cpio.gz") bytes)"
