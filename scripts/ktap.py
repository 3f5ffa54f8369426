#!/usr/bin/env python3
"""Parse KUnit KTAP output (and test_meminit's result line) from a console log.

    ktap.py LOG [--suites a,b,c] [--require suite.case ...] [--meminit]
                [--json FILE]

Lines may carry host and printk timestamps ("[host +1.2] [  3.4] "); they
are stripped, together with anything before the printk timestamp: the
guest's own console output (a module marker echoed by the job) can be cut
by a kernel record printed in the middle of it, more often on PREEMPT_RT,
whose console is written by a printer thread ("=== MODULE-E[  3.4] ok 1
x").  Every suite is counted by its test cases (a parameterised case
counts once, failed if any parameter failed).  A suite whose result
line never appears (crash, hang, module load failure) counts as failed.

--suites: these suites must have run.  --require suite.case: that case must
have run and passed (not skipped).  --meminit: lib/test_meminit.c must have
reported "all N tests passed".
Exit 0 when everything holds, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Iterable, Optional, TypedDict

PREFIX = re.compile(r'^(\[host [^\]]*\] )?(.*?\[ *\d+\.\d+\] |\[[^\]]*\] )?')
SUBTEST = re.compile(r'^(\s*)# Subtest: (\S+)')
RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+) (\S+)(?:\s+#\s*(SKIP|TODO)\b(.*))?')
MEMINIT_OK = re.compile(r'test_meminit: all (\d+) tests passed')
MEMINIT_BAD = re.compile(r'test_meminit: failures: (\d+) out of (\d+)')


class Suite(TypedDict):
    """One suite's record: its cases' status ('pass', 'fail' or 'skip') by
    name, whether its own result line appeared, and that result."""

    cases: dict[str, str]
    done: bool
    result: Optional[str]


class Meminit(TypedDict):
    """test_meminit's counts."""

    passed: int
    failed: int


def parse(lines: Iterable[str]) -> tuple[dict[str, Suite], Optional[Meminit]]:
    """KUnit prints, per suite, "# Subtest: NAME" and its case results
    indented by 4, parameter results by 8 or more (folded into the case's
    own result line), and the suite's result at indent 0."""
    suites: dict[str, Suite] = {}
    current: Optional[str] = None
    meminit: Optional[Meminit] = None
    for raw in lines:
        line = PREFIX.sub('', raw.rstrip('\n'))
        m = MEMINIT_OK.search(line)
        if m:
            meminit = {'passed': int(m.group(1)), 'failed': 0}
        m = MEMINIT_BAD.search(line)
        if m:
            meminit = {'passed': int(m.group(2)) - int(m.group(1)),
                       'failed': int(m.group(1))}
        m = SUBTEST.match(line)
        if m and len(m.group(1)) == 4:
            current = m.group(2)
            suites[current] = {'cases': {}, 'done': False, 'result': None}
            continue
        m = RESULT.match(line)
        if not m or current is None:
            continue
        indent = len(m.group(1))
        status = ('skip' if m.group(5) == 'SKIP' else
                  'pass' if m.group(2) == 'ok' else 'fail')
        if indent == 4:
            suites[current]['cases'][m.group(4)] = status
        elif indent == 0 and m.group(4) == current:
            suites[current]['done'] = True
            suites[current]['result'] = status
            current = None
    return suites, meminit


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('log')
    ap.add_argument('--suites', default='')
    ap.add_argument('--require', action='append', default=[])
    ap.add_argument('--meminit', action='store_true')
    ap.add_argument('--json')
    a = ap.parse_args()
    try:
        with open(a.log, errors='replace') as f:
            suites, meminit = parse(f)
    except OSError as e:
        print('ktap: cannot read %s: %s' % (a.log, e), file=sys.stderr)
        return 2

    bad: list[str] = []
    tot = {'pass': 0, 'fail': 0, 'skip': 0}
    for name, s in sorted(suites.items()):
        c = {'pass': 0, 'fail': 0, 'skip': 0}
        for st in s['cases'].values():
            c[st] += 1
        for k in c:
            tot[k] += c[k]
        state = 'ok' if s['done'] else 'DID NOT FINISH'
        if s['done'] and s['result'] == 'fail':
            state = 'FAILED'
        print('  KUNIT   %-14s pass:%d fail:%d skip:%d total:%d  %s' % (
            name, c['pass'], c['fail'], c['skip'], sum(c.values()), state))
        for case, st in s['cases'].items():
            if st == 'fail':
                print('            not ok %s.%s' % (name, case))
        if not s['done'] or c['fail'] or s['result'] == 'fail':
            bad.append('suite %s %s' % (name, 'failed' if s['done'] else 'did not finish'))
    wanted: list[str] = a.suites.split(',')
    for want in filter(None, wanted):
        if want not in suites:
            bad.append('suite %s did not run' % want)
    required: list[str] = a.require
    for req in required:
        suite, _, case = req.partition('.')
        found = suites.get(suite)
        got = found['cases'].get(case) if found is not None else None
        if got != 'pass':
            bad.append('%s: %s (must run and pass)' % (req, got or 'not run'))
        else:
            print('  KUNIT   %s executed and passed' % req)
    if a.meminit:
        if meminit is None:
            bad.append('test_meminit printed no result')
        else:
            print('  MEMINIT passed:%d failed:%d' % (meminit['passed'], meminit['failed']))
            if meminit['failed']:
                bad.append('test_meminit: %d failures' % meminit['failed'])
    print('  KUNIT   total pass:%d fail:%d skip:%d' % (tot['pass'], tot['fail'], tot['skip']))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'suites': suites, 'meminit': meminit, 'totals': tot,
                       'problems': bad}, f, indent=1)
    for b in bad:
        print('error: %s' % b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
