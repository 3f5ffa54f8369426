#!/usr/bin/env python3
"""Run a QEMU command line, log its serial console, and turn the guest's
result into an exit code.

    qemu-run.py --log FILE --timeout SECONDS [--echo] [--monitor SOCKET]
                -- qemu-system-x86_64 ...

The guest's /init prints "=== GUEST-DONE rc=N" before it powers off.  The
status starts pessimistic: without that line the run failed.

Guest control (--monitor SOCKET, the QEMU human monitor on a unix socket,
"-monitor unix:SOCKET,server=on,wait=off"): a console line
"=== MONITOR <command>" (the guest writes it to /dev/kmsg) makes this runner
send <command> to the monitor; the reply is logged as "=== HOST-MONITOR"
lines.  The guest sees the effect (a DIMM that appears), not the reply.

Exit: 0 guest rc=0; 1 guest rc!=0; 4 no GUEST-DONE (panic, hang, QEMU
error) or the timeout expired (QEMU is killed, the log is kept).
"""
from __future__ import annotations

import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from typing import Optional

DONE = re.compile(r'=== GUEST-DONE rc=(\d+)')
PANIC = re.compile(r'Kernel panic - not syncing|end Kernel panic')
MONITOR = re.compile(r'=== MONITOR (\S.*\S|\S)\s*$')
PROMPT = b'(qemu) '


class Monitor:
    """The QEMU human monitor on a unix socket, connected on first use."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sock: Optional[socket.socket] = None

    @staticmethod
    def _read_to_prompt(sock: socket.socket, timeout: float) -> bytes:
        data = b''
        end = time.monotonic() + timeout
        while not data.endswith(PROMPT):
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError('no monitor prompt after %.0f s' % timeout)
            sock.settimeout(left)
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError('monitor closed the connection')
            data += chunk
        return data[:-len(PROMPT)]

    def command(self, cmd: str, timeout: float = 30.0) -> list[str]:
        """Send one command; return the monitor's reply text."""
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(self.path)
            self._read_to_prompt(self.sock, timeout)  # the banner
        self.sock.sendall(cmd.encode() + b'\n')
        reply = self._read_to_prompt(self.sock, timeout).decode('utf-8', 'replace')
        # The monitor echoes the command (with terminal escapes) first.
        lines = [re.sub(r'\x1b\[[0-9;]*[A-Za-z]|\r', '', x)
                 for x in reply.split('\n')]
        return [x for x in lines[1:] if x.strip()]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--log', required=True)
    ap.add_argument('--timeout', type=float, required=True)
    ap.add_argument('--echo', action='store_true',
                    help='also copy the console to stdout')
    ap.add_argument('--monitor', metavar='SOCKET',
                    help='QEMU monitor socket for "=== MONITOR" requests')
    ap.add_argument('--grace', type=float, default=15.0,
                    help='seconds to wait for QEMU after GUEST-DONE or a panic')
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == '--' else a.cmd
    if not cmd:
        ap.error('no QEMU command given')

    start = time.monotonic()
    log = open(a.log, 'w', buffering=1, errors='replace')
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    rc_guest: Optional[int] = None
    panicked = False
    deadline: float = start + a.timeout
    end_by: Optional[float] = None
    buf = b''
    timed_out = False
    mon = Monitor(a.monitor) if a.monitor else None

    def monitor(cmd: str) -> None:
        stamp = '[host %+9.3f] ' % (time.monotonic() - start)
        if mon is None:
            log.write(stamp + '=== HOST-MONITOR error: no monitor (boot '
                      'without --monitor) for: %s\n' % cmd)
            return
        try:
            reply = mon.command(cmd)
        except (OSError, TimeoutError, ConnectionError) as e:
            reply = ['error: %s' % e]
        log.write(stamp + '=== HOST-MONITOR %s -> %s\n'
                  % (cmd, ' / '.join(reply) if reply else 'ok'))

    def emit(line: bytes) -> None:
        nonlocal rc_guest, panicked, end_by
        text = line.decode('utf-8', 'replace').rstrip('\r\n')
        stamp = '[host %+9.3f] ' % (time.monotonic() - start)
        log.write(stamp + text + '\n')
        if a.echo:
            sys.stdout.write(text + '\n')
            sys.stdout.flush()
        m = DONE.search(text)
        if m and rc_guest is None:
            rc_guest = int(m.group(1))
            end_by = time.monotonic() + a.grace
        m = MONITOR.search(text)
        if m:
            monitor(m.group(1))
        if PANIC.search(text) and not panicked:
            panicked = True
            end_by = time.monotonic() + a.grace

    # stdout=PIPE: Popen always sets proc.stdout
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    while True:
        now = time.monotonic()
        limit = min(deadline, end_by) if end_by else deadline
        if now >= limit:
            if end_by is None or deadline <= end_by:
                timed_out = rc_guest is None
            break
        r, _, _ = select.select([fd], [], [], min(1.0, limit - now))
        if r:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                emit(line)
    if buf:
        emit(buf)
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    qrc = proc.wait()
    elapsed = time.monotonic() - start
    if timed_out:
        msg = 'TIMEOUT after %.0f s: guest killed' % a.timeout
        code = 4
    elif rc_guest is None:
        msg = ('guest panicked' if panicked else
               'guest ended without GUEST-DONE (QEMU rc %d)' % qrc)
        code = 4
    elif panicked:
        msg = 'guest panicked after GUEST-DONE'
        code = 4
    else:
        msg = 'guest rc=%d' % rc_guest
        code = 0 if rc_guest == 0 else 1
    log.write('[host %+9.3f] === HOST: %s\n' % (elapsed, msg))
    log.close()
    sys.stderr.write('  %-8s%s (%.1f s, log: %s)\n' % ('QEMU', msg, elapsed, a.log))
    return code


if __name__ == '__main__':
    sys.exit(main())
