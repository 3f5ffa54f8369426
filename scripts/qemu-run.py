#!/usr/bin/env python3
"""Run a QEMU command line, log its serial console, and turn the guest's
result into an exit code.

    qemu-run.py --log FILE --timeout SECONDS [--echo] -- qemu-system-x86_64 ...

The guest's /init prints "=== GUEST-DONE rc=N" before it powers off.  The
status starts pessimistic: without that line the run failed.

Exit: 0 guest rc=0; 1 guest rc!=0; 4 no GUEST-DONE (panic, hang, QEMU
error) or the timeout expired (QEMU is killed, the log is kept).
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

DONE = re.compile(r'=== GUEST-DONE rc=(\d+)')
PANIC = re.compile(r'Kernel panic - not syncing|end Kernel panic')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--log', required=True)
    ap.add_argument('--timeout', type=float, required=True)
    ap.add_argument('--echo', action='store_true',
                    help='also copy the console to stdout')
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
    rc_guest = None
    panicked = False
    deadline = start + a.timeout
    end_by = None
    buf = b''
    timed_out = False

    def emit(line):
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
        if PANIC.search(text) and not panicked:
            panicked = True
            end_by = time.monotonic() + a.grace

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
