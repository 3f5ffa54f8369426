#!/usr/bin/env python3
"""Judge the KUnit results (and test_meminit's result line) of a console log.

    ktap.py LOG [--suites a,b,c] [--require suite.case ...] [--meminit]
                [--selftest WHAT ...] [--json FILE] [--report FILE]
                [--kunit-dir DIR]

The KTAP itself is parsed by the kernel's own parser,
tools/testing/kunit/kunit_parser.py (what "kunit.py parse" runs), once per
KTAP document, as "kunit.py parse" expects one: every KUnit module (and
the suites built into the kernel, at boot) prints its own, starting with a
"KTAP version" line at the left margin, and the console is cut there.  The
guest job's "=== MODULE NAME" lines (boot/guest/lib.sh) only name the
module in messages: the job writes them to the console itself and the KTAP
comes by printk, so on PREEMPT_RT, whose printer thread writes the console,
a module's last lines may follow the job's line for the next module.
--kunit-dir: the directory holding
kunit_parser.py (default: tools/testing/kunit of the pinned base, taken
from out/base.git, which "make src" creates, into out/kunit-parser-TREE).
--report: the parser's own report (what "kunit.py parse" prints).  Errors
the parser finds in a module's KTAP (a wrong case number, a missing
result line) fail the run.

Lines may carry host and printk timestamps ("[host +1.2] [  3.4] "); they
are stripped, together with anything before the printk timestamp: the
guest's own console output (a module marker echoed by the job) can be cut
by a kernel record printed in the middle of it, more often on PREEMPT_RT,
whose console is written by a printer thread ("=== MODULE-E[  3.4] ok 1
x").  Every suite is counted by its test cases (a parameterised case
counts once, failed if any parameter failed).  A suite whose result line
never appears (crash, hang, module load failure) counts as failed; so does
a case the suite's plan announced that never printed a result.

--suites: these suites must have run.  --require suite.case: that case must
have run and passed (not skipped).  --meminit: lib/test_meminit.c must have
reported "all N tests passed".  --selftest WHAT: the last "WHAT: X of Y
tests passed" line of a self-test module (test_maple_tree's maple_tree,
test_xarray's XArray) is there and X = Y.
Exit 0 when everything holds, 1 otherwise, 2 when the log or the parser
cannot be read.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from types import ModuleType
from typing import Iterable, Iterator, Optional, TypedDict

PREFIX = re.compile(r'^(\[host [^\]]*\] )?(.*?\[ *\d+\.\d+\] |\[[^\]]*\] )?')
MODULE_START = re.compile(r'^=== MODULE (\S+)$')
MODULE_END = re.compile(r'^=== MODULE-END (\S+)')
DOC_START = re.compile(r'^K?TAP version \d+$')
MEMINIT_OK = re.compile(r'test_meminit: all (\d+) tests passed')
MEMINIT_BAD = re.compile(r'test_meminit: failures: (\d+) out of (\d+)')
SELFTEST = re.compile(r'(\S+): (\d+) of (\d+) tests passed')
PARSER_FILES = ('kunit_parser.py', 'kunit_printer.py')


class ParserError(Exception):
    """The kernel's KTAP parser could not be found or loaded."""


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


def strip(raw: str) -> str:
    """The console line without the host's and printk's timestamps."""
    return PREFIX.sub('', raw.rstrip('\n'))


def documents(lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Cut the stripped console at every "KTAP version" line at the left
    margin: (the module last announced before it, '' at boot; the
    document's lines).  Lines before the first one are in no document."""
    module = ''
    name: Optional[str] = None
    current: list[str] = []
    for line in lines:
        m = MODULE_START.match(line)
        if m:
            module = m.group(1)
            continue
        if MODULE_END.match(line):
            continue
        if DOC_START.match(line):
            if name is not None:
                yield name, current
            name, current = module, []
        if name is not None:
            current.append(line)
    if name is not None:
        yield name, current


def base_parser_dir(root: str) -> str:
    """tools/testing/kunit of the pinned base, out of out/base.git, in a
    directory of its own under out/ (made once)."""
    out = os.environ.get('OUT') or os.path.join(root, 'out')
    git_dir = os.path.join(out, 'base.git')
    if not os.path.isdir(git_dir):
        raise ParserError('no --kunit-dir and no %s (run make src)' % git_dir)
    try:
        base = subprocess.run(['git', '--git-dir', git_dir, 'rev-parse', 'base^{tree}'],
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        raise ParserError('no tag base in %s: %s' % (git_dir, e)) from e
    # One copy per base tree, made by an atomic rename: complete or absent.
    dest = os.path.join(out, 'kunit-parser-' + base[:12])
    if os.path.isdir(dest):
        return dest
    paths = ['tools/testing/kunit/' + f for f in PARSER_FILES]
    try:
        tar = subprocess.run(['git', '--git-dir', git_dir, 'archive', 'base'] + paths,
                             check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise ParserError('cannot take %s from %s: %s' % (' '.join(paths), git_dir, e)) from e
    tmp = tempfile.mkdtemp(dir=out, prefix='kunit-parser.')
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        for member in t.getmembers():
            if member.isfile():
                data = t.extractfile(member)
                assert data is not None
                with open(os.path.join(tmp, os.path.basename(member.name)), 'wb') as f:
                    f.write(data.read())
    try:
        os.rename(tmp, dest)
    except OSError:  # another run made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def load_parser(kunit_dir: str) -> ModuleType:
    """Import the kernel's kunit_parser from KUNIT_DIR."""
    if not os.path.isfile(os.path.join(kunit_dir, 'kunit_parser.py')):
        raise ParserError('no kunit_parser.py in %s' % kunit_dir)
    sys.path.insert(0, kunit_dir)
    try:
        return importlib.import_module('kunit_parser')
    except Exception as e:  # pylint: disable=broad-except # any import failure
        raise ParserError('cannot import %s/kunit_parser.py: %s' % (kunit_dir, e)) from e
    finally:
        sys.path.pop(0)


class Judge:
    """The kernel's parser, its printed report kept aside, and its Test
    trees turned into Suite records."""

    def __init__(self, parser: ModuleType) -> None:
        self.kp = parser
        self.report = io.StringIO()
        # The parser prints its progress through kunit_printer.stdout.
        printer = importlib.import_module('kunit_printer')
        setattr(self.kp, 'stdout', printer.Printer(self.report))
        status = self.kp.TestStatus
        self.status = {status.SUCCESS: 'pass', status.SKIPPED: 'skip'}

    def parse(self, lines: list[str]) -> tuple[list[object], int]:
        """The suites of one KTAP document (documents() starts each with
        its "KTAP version" line) and the errors the parser found in them.
        A document without tests (the boot-time executor's "1..0" when no
        suite is built in) is not an error."""
        with contextlib.redirect_stdout(self.report):
            main = self.kp.parse_run_tests(lines)
        if main.status == self.kp.TestStatus.NO_TESTS:
            return [], 0
        return list(main.subtests), int(main.counts.errors)

    def suite(self, test: object) -> Suite:
        """One suite's Test as a Suite record.  A result line always sets
        the status to one of success, failure or skipped; a Test that kept
        TEST_CRASHED never printed its result line.  A case the plan
        announced that never came is a subtest without a name."""
        cases: dict[str, str] = {}
        for number, case in enumerate(getattr(test, 'subtests'), 1):
            name = getattr(case, 'name') or '<case %d missing>' % number
            cases[name] = self.status.get(getattr(case, 'status'), 'fail')
        done = getattr(test, 'status') != self.kp.TestStatus.TEST_CRASHED
        result = self.status.get(getattr(test, 'status'), 'fail') if done else None
        return {'cases': cases, 'done': done, 'result': result}


class Results(TypedDict):
    """Everything a console log says: the suites, test_meminit's counts,
    the last "X of Y tests passed" of each self-test, and one problem per
    module whose KTAP the parser found errors in."""

    suites: dict[str, Suite]
    meminit: Optional[Meminit]
    selftests: dict[str, tuple[int, int]]
    problems: list[str]


def parse(lines: Iterable[str], judge: Judge) -> Results:
    """Every suite of every module, and the self-tests' lines."""
    suites: dict[str, Suite] = {}
    meminit: Optional[Meminit] = None
    selftests: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    stripped = [strip(raw) for raw in lines]
    for line in stripped:
        m = SELFTEST.search(line)
        if m:
            selftests[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        m = MEMINIT_OK.search(line)
        if m:
            meminit = {'passed': int(m.group(1)), 'failed': 0}
        m = MEMINIT_BAD.search(line)
        if m:
            meminit = {'passed': int(m.group(2)) - int(m.group(1)),
                       'failed': int(m.group(1))}
    for module, doc in documents(stripped):
        tests, errors = judge.parse(doc)
        if errors:
            problems.append('KTAP of %s: %d errors (the parser\'s report: --report)' % (
                module or 'the suites built in', errors))
        for test in tests:
            name = getattr(test, 'name')
            if name:
                suites[name] = judge.suite(test)
    return {'suites': suites, 'meminit': meminit, 'selftests': selftests,
            'problems': problems}


def main() -> int:
    ap = argparse.ArgumentParser(description='judge the KUnit results of a console log')
    ap.add_argument('log')
    ap.add_argument('--suites', default='')
    ap.add_argument('--require', action='append', default=[])
    ap.add_argument('--meminit', action='store_true')
    ap.add_argument('--selftest', action='append', default=[])
    ap.add_argument('--json')
    ap.add_argument('--kunit-dir')
    ap.add_argument('--report')
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        judge = Judge(load_parser(a.kunit_dir or base_parser_dir(root)))
    except ParserError as e:
        print('ktap: %s' % e, file=sys.stderr)
        return 2
    try:
        with open(a.log, errors='replace') as f:
            res = parse(f, judge)
    except OSError as e:
        print('ktap: cannot read %s: %s' % (a.log, e), file=sys.stderr)
        return 2
    if a.report:
        with open(a.report, 'w') as f:
            f.write(judge.report.getvalue())
    suites, meminit, bad = res['suites'], res['meminit'], res['problems']
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
    selftests: list[str] = a.selftest
    for what in selftests:
        got_st = res['selftests'].get(what)
        if got_st is None:
            bad.append('no "%s: N of N tests passed" line' % what)
        elif got_st[0] != got_st[1]:
            bad.append('%s: %d of %d tests passed' % (what, got_st[0], got_st[1]))
        else:
            print('  SELFTEST %s: %d of %d tests passed' % (what, got_st[0], got_st[1]))
    if suites or a.suites or required:
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
