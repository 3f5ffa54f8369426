# Guest control: a console line "=== MONITOR <command>" makes qemu-run.py
# send the command to the QEMU monitor socket and log the reply; without
# --monitor it logs an error instead of failing the run.
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d); trap 'kill $srv 2>/dev/null; rm -rf "$d"' EXIT
# A fake monitor: banner and prompt, then echoes each command and answers.
python3 - "$d/mon.sock" "$d/got" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[1] + '.ready', 'w').close()
c, _ = s.accept()
c.sendall(b'QEMU 7.2 monitor - type help\r\n(qemu) ')
buf = b''
with open(sys.argv[2], 'w') as got:
    while True:
        data = c.recv(1024)
        if not data:
            break
        buf += data
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            got.write(line.decode() + '\n'); got.flush()
            c.sendall(line + b'\r\nreply to ' + line + b'\r\n(qemu) ')
PY
srv=$!
for _ in $(seq 50); do [ -e "$d/mon.sock.ready" ] && break; sleep 0.1; done
cat >"$d/guest" <<'SH'
#!/bin/sh
echo "[    1.000000] === MONITOR device_add pc-dimm,id=d1,memdev=m1,node=1"
echo "=== MONITOR info status"
echo "=== GUEST-DONE rc=0"
SH
chmod +x "$d/guest"
python3 "$ROOT/boot/qemu-run.py" --log "$d/log" --timeout 20 --grace 1 \
	--monitor "$d/mon.sock" -- "$d/guest" 2>/dev/null || fail "qemu-run.py failed: $(cat "$d/log")"
grep -qx 'device_add pc-dimm,id=d1,memdev=m1,node=1' "$d/got" || fail "device_add not sent: $(cat "$d/got")"
grep -qx 'info status' "$d/got" || fail "second command not sent"
grep -q '=== HOST-MONITOR info status -> reply to info status' "$d/log" ||
	fail "reply not logged: $(cat "$d/log")"
# Without a monitor: logged as an error, the run's result is the guest's.
python3 "$ROOT/boot/qemu-run.py" --log "$d/log2" --timeout 20 --grace 1 \
	-- "$d/guest" 2>/dev/null || fail "qemu-run.py without --monitor failed"
grep -q 'HOST-MONITOR error: no monitor' "$d/log2" || fail "missing monitor not reported"
