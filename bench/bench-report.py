#!/usr/bin/env python3
"""Summarise a bench/bench.sh run directory.

    bench-report.py RESULTS_DIR [--aa AA_DIR]

Reads meta.json and the console logs boot-<label>-<n>.log, in which the
guest printed "SLAB_BENCH {json}" (module micro-benchmarks; a boot's sample
is its best repetition) and "WORKLOAD {json}" lines.  Per case and kernel,
the value of a boot is one sample; the report gives the median of the
samples, their min-max spread, the ratio B/A, the gain ("+" = B better,
whatever the unit's direction) and a "*" where the two spreads do not
overlap.  Writes summary.json, table.txt, table.md and chart.png (gnuplot)
into RESULTS_DIR and prints the table.  Exit 1 when a boot left no results,
a case is missing on one side or a result line is malformed (a JSON one
without what its kind needs; one that is not JSON, console output
interleaved with it, is skipped); 2 for bad usage or a meta.json that is
missing or malformed.

--aa AA_DIR: the report of an A/A run of the same backend (bench.sh --mode
aa, already reported: its summary.json) is set beside each case: the A/A
ratio of the medians and of the best boots, the A/A noise, and per ratio
a verdict.  The noise of a case is the widest of: the A/A ratio of the
same statistic and the spread of all the A/A run's samples (largest over
smallest, both kernels): what identical kernels differ by.  A B/A ratio
within that factor of 1, either way, is "not shown"; beyond it, "shown".
A case the A/A run lacks is "no A/A".
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Callable, Literal, Optional, TypedDict, cast

LINE = re.compile(r'(SLAB_BENCH|WORKLOAD) (\{.*\})\s*$')
LOWER_IS_BETTER = {'ns/op', 'us/op', 's', 'kB', 'MB', 'instr/op', 'kinstr/op', 'Ginstr',
                   'acq/kop', 'acq/run'}
# Backends whose guest runs under QEMU icount.
ICOUNT_BACKENDS = {'icount', 'rcuscale'}
# Backend lockstat: only the lock acquisition counts mean something there.
LOCKSTAT_UNITS = {'acq/kop', 'acq/run'}
# Under QEMU icount (backend icount) one guest ns is one executed instruction:
# time units are instruction counts and are shown as such.
ICOUNT_UNITS = {'ns/op': 'instr/op', 'us/op': 'kinstr/op', 's': 'Ginstr'}


def icount_unit(unit: str) -> str:
    """The name of a time-based unit under icount; rates per second become
    rates per 10^9 instructions."""
    if unit in ICOUNT_UNITS:
        return ICOUNT_UNITS[unit]
    if unit.endswith('/s'):
        return unit[:-2] + '/Ginstr'
    return unit


def same_kernel_pairs(path: Path) -> list[tuple[str, str]]:
    """Cases measured with and without sheaves in the same kernel, (with,
    without): the VERSUS column of bench/cases (NAME ... VERSUS)."""
    pairs = []
    for line in path.read_text().splitlines():
        f = line.split()
        if not f or f[0].startswith('#'):
            continue
        if len(f) != 7:
            raise SystemExit(f'bench-report.py: {path}: a case line has {len(f)} fields, want 7: {line}')
        if f[6] != '-':
            pairs.append((f[0], f[6]))
    return pairs


SAME_KERNEL = same_kernel_pairs(Path(__file__).resolve().parent / 'cases')


class _MetaBase(TypedDict):
    a: str
    backend: str
    boots: int
    reps: int
    scale: int
    smp: int


class Meta(_MetaBase, total=False):
    """meta.json, as bench/bench.sh writes it; "b" is empty for a run of
    one kernel."""

    b: str
    accel: str
    mode: str
    patched: str
    host: str
    tune: str


class Side(TypedDict):
    """One kernel's samples of one case and their statistics."""

    median: float
    min: float
    max: float
    n: int
    samples: list[float]


class _RowBase(TypedDict):
    case: str
    unit: str


class Row(_RowBase, total=False):
    """One case of the A/B table (summary.json's "rows"); "a" and "b" are
    None where the kernel has no sample, the comparison keys are there only
    when both kernels have."""

    a: Optional[Side]
    b: Optional[Side]
    ratio: Optional[float]
    best_ratio: Optional[float]
    gain: float
    separated: bool
    aa_ratio: Optional[float]
    aa_best_ratio: Optional[float]
    aa_noise: Optional[float]
    aa_best_noise: Optional[float]
    verdict: str
    best_verdict: str


def read_meta(path: str) -> Meta:
    """meta.json; ValueError (or OSError) saying what is wrong with it."""
    with open(path) as f:
        meta = json.load(f)
    if not isinstance(meta, dict):
        raise ValueError('not a JSON object')
    for key in ('a', 'backend', 'b', 'accel', 'patched', 'tune',
                'boots', 'reps', 'scale', 'smp'):
        if key not in meta:
            if key in Meta.__required_keys__:
                raise ValueError('no "%s"' % key)
            continue
        number = key in ('boots', 'reps', 'scale', 'smp')
        if not isinstance(meta[key], (int, float) if number else str):
            raise ValueError('"%s" is not %s' % (key, 'a number' if number else 'a string'))
    return cast(Meta, meta)


def load_boot(path: str, skipped: Optional[set[str]] = None,
              problems: Optional[list[str]] = None
              ) -> tuple[dict[str, float], dict[str, str]]:
    """A boot's value and unit per case.  A result line that is not JSON
    (console output interleaved with it) is skipped; one that is JSON but
    lacks what its kind needs is added to @problems, naming the line."""
    vals: dict[str, float] = {}
    units: dict[str, str] = {}
    with open(path, errors='replace') as f:
        for n, line in enumerate(f, 1):
            m = LINE.search(line)
            if not m:
                continue
            try:
                d = json.loads(m.group(2))
            except ValueError:
                continue
            try:
                if not isinstance(d['case'], str):
                    raise TypeError('"case" is not a string')
                if d.get('skipped'):
                    # the kernel lacks what the case needs (e.g. sheaves)
                    if skipped is not None:
                        skipped.add(d['case'])
                    continue
                if not isinstance(d['unit'], str):
                    raise TypeError('"unit" is not a string')
                if m.group(1) == 'SLAB_BENCH':
                    # The best repetition of a boot: noise (interrupts, the
                    # host's other load) only ever adds time, so the best of
                    # several short runs is the steadiest figure of a boot.
                    reps = d.get('reps') or [d['median']]
                    best = min(reps) if d['unit'] in LOWER_IS_BETTER else max(reps)
                    v = best * float(d.get('scale', 1))
                else:
                    v = float(d['value'])
            except (KeyError, TypeError, ValueError) as e:
                why = 'no "%s"' % e.args[0] if isinstance(e, KeyError) else str(e)
                if problems is not None:
                    problems.append('%s:%d: malformed %s line (%s)'
                                    % (os.path.basename(path), n, m.group(1), why))
                continue
            vals[d['case']] = v
            units[d['case']] = d['unit']
    return vals, units


class AA(TypedDict):
    """A case's A/A ratios (median and best boot), from an A/A report."""

    ratio: Optional[float]
    best_ratio: Optional[float]
    spread: Optional[float]


def aa_spread(r: dict[str, object]) -> Optional[float]:
    """Largest over smallest of all samples of an A/A row (both sides), or
    None without samples; ValueError for samples that are not numbers."""
    vals: list[float] = []
    for side in ('a', 'b'):
        s = r.get(side)
        if s is None:
            continue
        samples = s.get('samples') if isinstance(s, dict) else None
        if not isinstance(samples, list):
            raise ValueError('case %s: side %s has no samples' % (r.get('case'), side))
        for v in samples:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                raise ValueError('case %s: a sample is not a number: %r' % (r.get('case'), v))
            vals.append(float(v))
    return max(vals) / min(vals) if vals else None


def aa_number(r: dict[str, object], key: str) -> Optional[float]:
    """A ratio of an A/A row: a number above 0, or None; ValueError else."""
    v = r.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
        raise ValueError('case %s: "%s" is not a ratio: %r' % (r.get('case'), key, v))
    return float(v)


def read_aa(path: str, meta: Meta) -> dict[str, AA]:
    """The A/A ratios per case of an A/A run's summary.json, which must be
    of the same backend, vCPUs and scale as the run @meta describes;
    ValueError (or OSError) saying what is wrong with it."""
    with open(path) as f:
        d = json.load(f)
    if not isinstance(d, dict) or not isinstance(d.get('rows'), list):
        raise ValueError('no "rows" list')
    m = d.get('meta')
    if not isinstance(m, dict) or m.get('mode') not in (None, 'aa'):
        raise ValueError('not the report of an A/A run (mode %s)'
                         % (m.get('mode') if isinstance(m, dict) else '?'))
    for key in ('backend', 'smp', 'scale'):
        if m.get(key) != meta.get(key):
            raise ValueError('an A/A run of %s %s, this run has %s %s'
                             % (key, m.get(key), key, meta.get(key)))
    out: dict[str, AA] = {}
    for r in d['rows']:
        if not isinstance(r, dict) or not isinstance(r.get('case'), str):
            raise ValueError('a row without a case')
        out[r['case']] = {'ratio': aa_number(r, 'ratio'),
                          'best_ratio': aa_number(r, 'best_ratio'),
                          'spread': aa_spread(r)}
    return out


def noise(aa: Optional[float], spread: Optional[float]) -> Optional[float]:
    """The A/A noise of a ratio as a factor >= 1: the wider of the A/A
    ratio @aa (either way) and the A/A samples' @spread; None without an
    A/A ratio."""
    if not aa:
        return None
    return max(aa, 1 / aa, spread or 1.0)


def verdict(ratio: Optional[float], band: Optional[float]) -> str:
    """"shown" when @ratio lies beyond the factor @band from 1 (either
    way), "not shown" within it (ends included, up to rounding); "-"
    without a ratio, "no A/A" without a band."""
    if not ratio:
        return '-'
    if not band:
        return 'no A/A'
    inside = abs(math.log(ratio)) <= math.log(band) * (1 + 1e-9) + 1e-12
    return 'not shown' if inside else 'shown'


def fmt(v: float) -> str:
    if v >= 1000:
        return '%.0f' % v
    if v >= 10:
        return '%.1f' % v
    return '%.2f' % v


def text_table(hdr: list[str], rows: list[list[str]]) -> list[str]:
    """The lines of a plain-text table, columns padded to their widest cell."""
    widths = [max(len(str(x[i])) for x in rows + [hdr]) for i in range(len(hdr))]
    return ['  '.join(str(x).ljust(w) for x, w in zip(r, widths)) for r in [hdr] + rows]


def main() -> int:
    ap = argparse.ArgumentParser(prog='bench-report.py',
                                 usage='bench-report.py RESULTS_DIR [--aa AA_DIR]')
    ap.add_argument('results')
    ap.add_argument('--aa', metavar='AA_DIR')
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    rd = args.results
    if not os.path.isdir(rd):
        print('usage: bench-report.py RESULTS_DIR [--aa AA_DIR]\n'
              'bench-report.py: %s is not a directory' % rd, file=sys.stderr)
        return 2
    aa: Optional[dict[str, AA]] = None
    try:
        meta = read_meta(os.path.join(rd, 'meta.json'))
    except (OSError, ValueError) as e:
        print('bench-report.py: %s: %s' % (os.path.join(rd, 'meta.json'), e),
              file=sys.stderr)
        return 2
    if args.aa is not None:
        try:
            aa = read_aa(os.path.join(args.aa, 'summary.json'), meta)
        except (OSError, ValueError) as e:
            print('bench-report.py: --aa %s: %s' % (os.path.join(args.aa, 'summary.json'), e),
                  file=sys.stderr)
            return 2
    labels = [meta['a']] + ([meta['b']] if meta.get('b') else [])
    samples: dict[str, dict[str, list[float]]] = {l: {} for l in labels}
    skipped: dict[str, set[str]] = {l: set() for l in labels}
    units: dict[str, str] = {}
    problems: list[str] = []
    for l in labels:
        # boot-<label>-<n>.log: the digit keeps "patched" from taking
        # the logs of "patched-tuned"
        logs = sorted(glob.glob(os.path.join(rd, 'boot-%s-[0-9]*.log' % l)))
        for p in logs:
            vals, u = load_boot(p, skipped[l], problems)
            if not vals:
                problems.append('%s: no results (boot failed?)' % os.path.basename(p))
            units.update(u)
            for c, v in vals.items():
                samples[l].setdefault(c, []).append(v)
    if meta['backend'] in ICOUNT_BACKENDS:
        units = {c: icount_unit(u) for c, u in units.items()}
    if meta['backend'] == 'lockstat':
        keep = {c for c, u in units.items() if u in LOCKSTAT_UNITS}
        for l in labels:
            samples[l] = {c: v for c, v in samples[l].items() if c in keep}
            skipped[l] = {'%s:%s' % (c, k) for c in skipped[l]
                          for k in ('list_lock', 'barn_lock', 'locks')}
    cases = sorted(set().union(*[set(s) for s in samples.values()]),
                   key=lambda c: (c.startswith(('meminfo', 'hackbench', 'fork', 'exec', 'mmap')), c))
    rows: list[Row] = []
    for c in cases:
        unit = units.get(c, '?')
        row: Row = {'case': c, 'unit': unit}
        for i, l in enumerate(labels):
            s = samples[l].get(c)
            side: Literal['a', 'b'] = 'b' if i else 'a'
            if not s:
                if c not in skipped[l]:
                    problems.append('case %s missing for %s' % (c, l))
                row[side] = None
                continue
            row[side] = {'median': statistics.median(s), 'min': min(s), 'max': max(s),
                         'n': len(s), 'samples': s}
        a, b = row.get('a'), row.get('b')
        if len(labels) == 2 and a and b:
            ratio = b['median'] / a['median'] if a['median'] else None
            row['ratio'] = ratio
            # best boots: min for lower-is-better units, max otherwise
            if unit in LOWER_IS_BETTER:
                ba, bb = a['min'], b['min']
            else:
                ba, bb = a['max'], b['max']
            row['best_ratio'] = bb / ba if ba else None
            if ratio:
                better = (1 / ratio) if unit in LOWER_IS_BETTER else ratio
                row['gain'] = better - 1
            # with one sample per side there is no spread to compare
            row['separated'] = (a['n'] > 1 and b['n'] > 1 and
                                (b['max'] < a['min'] or b['min'] > a['max']))
            if aa is not None:
                x = aa.get(c)
                row['aa_ratio'] = x['ratio'] if x else None
                row['aa_best_ratio'] = x['best_ratio'] if x else None
                row['aa_noise'] = noise(row['aa_ratio'], x['spread'] if x else None)
                row['aa_best_noise'] = noise(row['aa_best_ratio'], x['spread'] if x else None)
                row['verdict'] = verdict(row['ratio'], row['aa_noise'])
                row['best_verdict'] = verdict(row['best_ratio'], row['aa_best_noise'])
        rows.append(row)

    title = 'slab_bench: %s (A) vs %s (B); backend %s, %s; %d boots each, %d reps, scale %d, %d vCPUs' % (
        meta['a'], meta.get('b') or '-', meta['backend'], meta.get('accel', ''),
        meta['boots'], meta['reps'], meta['scale'], meta['smp'])
    warn = ''
    if meta['backend'] in ICOUNT_BACKENDS:
        warn = ('NOTE: QEMU icount: guest time counts executed instructions (1 ns = 1 '
                'instruction); figures are instruction counts, not time: cache misses '
                'and the cost of atomics do not show.')
    elif meta['backend'] == 'lockstat':
        warn = ('NOTE: lock acquisition counts from /proc/lock_stat (CONFIG_LOCK_STAT): '
                'acq/kop = acquisitions per 1000 operations of the case; counts, not time.')
    elif 'tcg' in meta.get('accel', ''):
        warn = ('NOTE: QEMU TCG (software emulation): timings are emulated, not hardware '
                'timings; only large ratios with separated spreads mean anything.')
    hdr = ['case', 'unit', 'A median', 'A min-max', 'B median', 'B min-max', 'B/A', 'gain',
           'B/A best']
    if aa is not None:
        hdr += ['A/A', 'A/A noise', 'B/A vs A/A', 'A/A best', 'best vs A/A']
    hdr.append('')
    table: list[list[str]] = []
    for r in rows:
        a, b = r.get('a'), r.get('b')
        ratio, best_ratio, gain = r.get('ratio'), r.get('best_ratio'), r.get('gain')
        cells = [
            r['case'], r['unit'],
            fmt(a['median']) if a else '-', ('%s-%s' % (fmt(a['min']), fmt(a['max']))) if a else '-',
            fmt(b['median']) if b else '-', ('%s-%s' % (fmt(b['min']), fmt(b['max']))) if b else '-',
            ('%.3f' % ratio) if ratio else '-',
            ('%+.1f%%' % (100 * gain)) if gain is not None else '-',
            ('%.3f' % best_ratio) if best_ratio else '-']
        if aa is not None:
            ar, abr, an = r.get('aa_ratio'), r.get('aa_best_ratio'), r.get('aa_noise')
            cells += [('%.3f' % ar) if ar else '-',
                      ('+-%.1f%%' % (100 * (an - 1))) if an else '-', r.get('verdict', '-'),
                      ('%.3f' % abr) if abr else '-', r.get('best_verdict', '-')]
        cells.append('*' if r.get('separated') else '')
        table.append(cells)
    lines = [title, 'patched: %s' % meta.get('patched', '')]
    if meta.get('tune'):
        lines.append('B boots with these sysfs settings (bench.sh --mode tune): %s' % meta['tune'])
    if warn:
        lines.append(warn)
    lines.append('gain: + means B is better (faster, higher throughput, less memory); '
                 '* = min-max spreads do not overlap')
    lines.append('B/A best: ratio of the best boots (min time, max throughput): where noise '
                 'makes whole boots slow, the steadiest comparison')
    if aa is not None:
        lines.append('A/A: the same ratios of the baseline against itself (%s); A/A noise: '
                     'the wider of the A/A ratio and the spread of all A/A samples; a B/A '
                     'ratio within the noise of 1 is "not shown"' % args.aa)
    lines += text_table(hdr, table)
    # with and without sheaves in the same kernel
    same: list[list[str]] = []
    for l, key in zip(labels, 'ab'):
        for w, wo in SAME_KERNEL:
            sw, swo = samples[l].get(w), samples[l].get(wo)
            if not sw or not swo:
                continue
            mw, mwo = statistics.median(sw), statistics.median(swo)
            unit = units.get(w, '?')
            best: Callable[[list[float]], float] = min if unit in LOWER_IS_BETTER else max
            bw, bwo = best(sw), best(swo)
            if not mw or not mwo or not bw or not bwo:
                continue
            gain = (mwo / mw if unit in LOWER_IS_BETTER else mw / mwo) - 1
            same.append([l, w, wo, unit, fmt(mw), fmt(mwo), '%.3f' % (mw / mwo),
                         '%+.1f%%' % (100 * gain), fmt(bw), fmt(bwo), '%.3f' % (bw / bwo)])
    if same:
        sh = ['kernel', 'case', 'versus', 'unit', 'median', 'median', 'ratio', 'gain',
              'best', 'best', 'ratio best']
        lines.append('')
        lines.append('same kernel, each case against its VERSUS case of bench/cases (a cache with '
                     'sheaves of capacity 32 against one without; kmalloc_nolock() against '
                     'kmalloc(GFP_ATOMIC)):')
        lines += text_table(sh, same)
    # what a user of a cache gets by giving it sheaves on the patched kernel,
    # against the same cache on the baseline (which cannot have them)
    cross: list[list[str]] = []
    if len(labels) == 2 and meta.get('mode') != 'tune':
        for w, wo in SAME_KERNEL:
            sb, sa = samples[labels[1]].get(w), samples[labels[0]].get(wo)
            if not sb or not sa:
                continue
            unit = units.get(w, '?')
            best = min if unit in LOWER_IS_BETTER else max
            mb, ma, bb, ba = statistics.median(sb), statistics.median(sa), best(sb), best(sa)
            if not mb or not ma or not bb or not ba:
                continue
            gain = (ma / mb if unit in LOWER_IS_BETTER else mb / ma) - 1
            sep = len(sa) > 1 and len(sb) > 1 and (max(sb) < min(sa) or min(sb) > max(sa))
            cross.append([w, wo, unit, fmt(mb), '%s-%s' % (fmt(min(sb)), fmt(max(sb))),
                          fmt(ma), '%s-%s' % (fmt(min(sa)), fmt(max(sa))), '%.3f' % (mb / ma),
                          '%+.1f%%' % (100 * gain), '%.3f' % (bb / ba), '*' if sep else ''])
    if cross:
        ch = ['B case', 'A versus', 'unit', 'B median', 'B min-max', 'A median',
              'A min-max', 'B/A', 'gain', 'B/A best', '']
        lines.append('')
        lines.append('patched kernel\'s case against the baseline\'s VERSUS case (the baseline '
                     'has neither sheaves nor kmalloc_nolock()):')
        lines += text_table(ch, cross)
    text = '\n'.join(lines)
    print(text)
    with open(os.path.join(rd, 'table.txt'), 'w') as f:
        f.write(text + '\n')
    with open(os.path.join(rd, 'table.md'), 'w') as f:
        f.write('%s\n\n%s\n\n' % (title, warn) if warn else '%s\n\n' % title)
        f.write('| ' + ' | '.join(hdr[:-1] + ['sep']) + ' |\n')
        f.write('|' + '---|' * len(hdr) + '\n')
        for t in table:
            f.write('| ' + ' | '.join(str(x) for x in t) + ' |\n')
    with open(os.path.join(rd, 'summary.json'), 'w') as f:
        json.dump({'meta': meta, 'rows': rows, 'same_kernel': same, 'cross': cross,
                   'problems': problems},
                  f, indent=1)

    # chart: per case the gain of B over A with the spread-derived range
    if len(labels) == 2:
        dat = os.path.join(rd, 'chart.dat')
        with open(dat, 'w') as f:
            for i, r in enumerate(x for x in rows if x.get('ratio')):
                a, b = r['a'], r['b']
                # a row gets a ratio only when both kernels have samples
                assert a is not None and b is not None
                if r['unit'] in LOWER_IS_BETTER:
                    g, lo, hi = a['median'] / b['median'], a['min'] / b['max'], a['max'] / b['min']
                else:
                    g, lo, hi = b['median'] / a['median'], b['min'] / a['max'], b['max'] / a['min']
                f.write('%d "%s" %f %f %f\n' % (i, r['case'], g, lo, hi))
        gp = os.path.join(rd, 'chart.gp')
        with open(gp, 'w') as f:
            # noenhanced: case names have underscores, not subscripts
            f.write('set terminal png size 1800,900 noenhanced\n')
            f.write('set output "%s"\n' % os.path.join(rd, 'chart.png'))
            f.write('set title "%s\\n%s"\n' % (title.replace('"', "'"), warn.replace('"', "'")))
            f.write('set ylabel "B relative to A (>1 = B better), median and min-max range"\n')
            f.write('set xtics rotate by 60 right\nset grid ytics\nset key off\n')
            f.write('set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2\n')
            f.write('set style fill solid 0.5\nset boxwidth 0.7\n')
            f.write('plot "%s" using 1:3:xtic(2) with boxes, "" using 1:3:4:5 with yerrorbars pt 0\n' % dat)
        try:
            subprocess.run(['gnuplot', gp], check=True, capture_output=True)
            print('chart: %s' % os.path.join(rd, 'chart.png'))
        except (OSError, subprocess.CalledProcessError) as e:
            problems.append('gnuplot failed: %s' % e)
    for p in problems:
        print('error: %s' % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
