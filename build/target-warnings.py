#!/usr/bin/env python3
"""Compiler warnings by build target, and which patch brought them.

    target-warnings.py parse LOG --tree DIR
    target-warnings.py step VIEW STATE [--gone TARGET ...] (--back | --forward)

parse: read a Kbuild log made with "make -Otarget" (each target's output
in one piece, its "  CC      mm/slub.o" line first) and print one line
"TARGET<TAB>WARNING" per warning, and "TARGET<TAB>" for a target that
printed none, so that the targets built are known too.  Warnings are
normalised as build.sh normalises them: the path relative to the tree
(DIR), no line or column.  A warning before any target line belongs to
the target "-".

step: VIEW holds the warnings of every target at one state of the queue
(the tip's full build to start with, in parse's format); STATE is parse's
output for the targets compiled at the neighbouring state.  Walking back
(--back: STATE is the state without the patch), the patch is charged with
the warnings VIEW has for those targets and STATE does not, and with every
warning of a --gone target (an object of a file the patch adds, which the
state without it cannot compile).  Walking forward (--forward: STATE is
the state with the patch), the patch is charged with the warnings STATE
has for its targets and VIEW does not.  The charged warnings go to stdout,
one per line, sorted; VIEW is then rewritten to the new state's view.
Targets that were not compiled keep their warnings: the objects a patch
cannot affect (build/affected-objects.py) warn the same before and after
it.
Exit: 0 (whether or not a warning was charged), 1 a log with warnings but
no target line (a make run verbose or silent), 2 usage or a file that
cannot be read.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Iterable

TARGET = re.compile(r'^  [A-Z][A-Z0-9_]*(?: \[M\])? +(\S+)$')
WARNING = re.compile(r'^(\S+?):\d+(?::\d+)?: warning: (.*)$')

View = dict[str, set[str]]


def normalise(path: str, tree: str) -> str:
    """A warning's file relative to the tree, as build.sh writes it."""
    for prefix in (tree.rstrip('/') + '/', '../'):
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def parse(lines: Iterable[str], tree: str) -> View:
    """Every target of the log with the warnings printed in its output."""
    view: View = {}
    target = '-'
    for raw in lines:
        line = raw.rstrip('\n')
        m = TARGET.match(line)
        if m:
            target = m.group(1)
            view.setdefault(target, set())
            continue
        m = WARNING.match(line)
        if m:
            view.setdefault(target, set()).add(
                '%s: warning: %s' % (normalise(m.group(1), tree), m.group(2)))
    return view


def read_view(path: str) -> View:
    """parse's output read back."""
    view: View = {}
    with open(path, errors='replace') as f:
        for raw in f:
            target, _, warning = raw.rstrip('\n').partition('\t')
            if not target:
                continue
            view.setdefault(target, set())
            if warning:
                view[target].add(warning)
    return view


def write_view(view: View) -> list[str]:
    """parse's format, sorted."""
    lines: list[str] = []
    for target in sorted(view):
        if view[target]:
            lines.extend('%s\t%s' % (target, w) for w in sorted(view[target]))
        else:
            lines.append('%s\t' % target)
    return lines


def step(view: View, state: View, gone: list[str], back: bool) -> set[str]:
    """The warnings to charge to the patch between VIEW's state and STATE's,
    VIEW updated to STATE's side."""
    charged: set[str] = set()
    for target, warnings in state.items():
        known = view.get(target, set())
        charged |= (known - warnings) if back else (warnings - known)
        view[target] = set(warnings)
    for target in gone:
        if back:
            charged |= view.get(target, set())
        view.pop(target, None)
    return charged


def main() -> int:
    ap = argparse.ArgumentParser(description='compiler warnings by build target')
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('parse')
    p.add_argument('log')
    p.add_argument('--tree', required=True)
    s = sub.add_parser('step')
    s.add_argument('view')
    s.add_argument('state')
    s.add_argument('--gone', action='append', default=[])
    d = s.add_mutually_exclusive_group(required=True)
    d.add_argument('--back', action='store_true')
    d.add_argument('--forward', action='store_true')
    a = ap.parse_args()
    try:
        if a.cmd == 'parse':
            with open(a.log, errors='replace') as f:
                view = parse(f, a.tree)
            if view.get('-') and len(view) == 1:
                print('target-warnings: %s has warnings but no "  CC      target" lines '
                      '(a verbose or silent make?): cannot tell which target warned' % a.log,
                      file=sys.stderr)
                return 1
            print('\n'.join(write_view(view)))
            return 0
        view = read_view(a.view)
        state = read_view(a.state)
    except OSError as e:
        print('target-warnings: %s' % e, file=sys.stderr)
        return 2
    gone: list[str] = a.gone
    charged = step(view, state, gone, bool(a.back))
    try:
        with open(a.view + '.tmp', 'w') as f:
            f.write('\n'.join(write_view(view)) + '\n')
        os.replace(a.view + '.tmp', a.view)
    except OSError as e:
        print('target-warnings: %s' % e, file=sys.stderr)
        return 2
    for w in sorted(charged):
        print(w)
    return 0


if __name__ == '__main__':
    sys.exit(main())
