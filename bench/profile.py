#!/usr/bin/env python3
"""profile.py: per-function instruction counts from a profile that
"boot/boot.sh --profile FILE" wrote (bench/tbprof.c: the guest kernel's
translation blocks with their instructions and executions).

  bench/profile.py --map SYSTEM_MAP PROF [--minus PROF] [--per N] [--top N]
                   [--calls SYM,...]
                   [--vs SYSTEM_MAP PROF [--vs-minus PROF]]

A block counts for the function whose System.map symbol (text) starts at
or before its address; blocks beyond the kernel's text (modules) count as
"[outside vmlinux]".  --minus subtracts another profile of the same kernel
(a boot that ran everything but the part measured), --per divides every
count (by the number of operations the part ran).  --calls prints, per
symbol, the executions of the block that starts at its address: the calls
of a function that is not inlined.  --vs compares with another kernel's
profile (its own System.map; functions are matched by name) and sorts by
the difference.  Under --accel icount the counts do not depend on the
host; a workload that schedules still differs a little from boot to boot.
Exit: 0, 2 bad arguments or unreadable input.
"""
import argparse
import bisect
import sys
from typing import Dict, List, Optional, Tuple

OUTSIDE = "[outside vmlinux]"


class Symbols:
    """The text symbols of a System.map, sorted by address."""

    def __init__(self, path: str) -> None:
        pairs: List[Tuple[int, str]] = []
        end: Optional[int] = None
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                p = line.split()
                if len(p) < 3:
                    continue
                try:
                    addr = int(p[0], 16)
                except ValueError:
                    raise ValueError(f"{path}:{n}: not a System.map line: {line.strip()}") from None
                if p[1] in "tTwW":
                    pairs.append((addr, p[2]))
                elif p[2] == "_end":
                    end = addr
        if not pairs:
            raise ValueError(f"{path}: no text symbols")
        pairs.sort()
        self.addrs = [a for a, _ in pairs]
        self.names = [s for _, s in pairs]
        # The image ends at _end (init text included); modules lie beyond.
        self.end = end if end is not None else self.addrs[-1] + 0x100000

    def name_at(self, addr: int) -> str:
        """The function that contains addr."""
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0 or addr >= self.end:
            return OUTSIDE
        return self.names[i]

    def entries(self, names: List[str]) -> Dict[int, str]:
        """The start address of each of names (those that exist)."""
        want = set(names)
        return {a: s for a, s in zip(self.addrs, self.names) if s in want}


Block = Tuple[int, int, int]  # start address, instructions, executions


def read_profile(path: str) -> List[Block]:
    """The blocks of a tbprof profile."""
    blocks: List[Block] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            p = line.split()
            try:
                if len(p) != 3:
                    raise ValueError
                blocks.append((int(p[0], 16), int(p[1]), int(p[2])))
            except ValueError:
                raise ValueError(f"{path}:{n}: not a profile line (ADDRESS INSNS EXECS): "
                                 f"{line.strip()}") from None
    return blocks


def by_function(sym: Symbols, blocks: List[Block]) -> Dict[str, int]:
    """Instructions executed per function."""
    out: Dict[str, int] = {}
    for addr, insns, execs in blocks:
        name = sym.name_at(addr)
        out[name] = out.get(name, 0) + insns * execs
    return out


def calls(sym: Symbols, blocks: List[Block], names: List[str]) -> Dict[str, int]:
    """Executions of the block at each function's start address."""
    entry = sym.entries(names)
    out = {n: 0 for n in names}
    for addr, _, execs in blocks:
        if addr in entry:
            out[entry[addr]] += execs
    return out


def subtract(a: Dict[str, int], b: Dict[str, int]) -> Dict[str, int]:
    """a - b per key."""
    return {k: a.get(k, 0) - b.get(k, 0) for k in set(a) | set(b)}


def load(map_path: str, prof: str, minus: Optional[str],
         names: List[str]) -> Tuple[Dict[str, int], Dict[str, int]]:
    """Per-function instructions and calls of prof, less those of minus."""
    sym = Symbols(map_path)
    blocks = read_profile(prof)
    funcs, ncalls = by_function(sym, blocks), calls(sym, blocks, names)
    if minus:
        base = read_profile(minus)
        funcs = subtract(funcs, by_function(sym, base))
        ncalls = subtract(ncalls, calls(sym, base, names))
    return funcs, ncalls


def fmt(v: float) -> str:
    """A count, with a decimal only where it is small."""
    return f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"


def main(argv: List[str]) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(prog="profile.py", add_help=True,
                                 description="per-function counts of a tbprof profile")
    ap.add_argument("--map", required=True, help="System.map of the profiled kernel")
    ap.add_argument("prof", help="the profile (boot/boot.sh --profile FILE)")
    ap.add_argument("--minus", help="a profile of the same kernel to subtract")
    ap.add_argument("--vs", nargs=2, metavar=("MAP", "PROF"),
                    help="another kernel's System.map and profile to compare with")
    ap.add_argument("--vs-minus", help="a profile to subtract from the --vs one")
    ap.add_argument("--per", type=float, default=1.0, help="divide every count by this")
    ap.add_argument("--top", type=int, default=30, help="functions to print (default 30)")
    ap.add_argument("--calls", default="", help="comma-separated functions to count calls of")
    try:
        a = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    if a.per <= 0 or a.top <= 0:
        print("error: profile.py: --per and --top want positive numbers", file=sys.stderr)
        return 2
    if a.vs_minus and not a.vs:
        print("error: profile.py: --vs-minus without --vs", file=sys.stderr)
        return 2
    names = [n for n in a.calls.split(",") if n]
    try:
        funcs, ncalls = load(a.map, a.prof, a.minus, names)
        other: Optional[Tuple[Dict[str, int], Dict[str, int]]] = None
        if a.vs:
            other = load(a.vs[0], a.vs[1], a.vs_minus, names)
    except (OSError, ValueError) as e:
        print(f"error: profile.py: {e}", file=sys.stderr)
        return 2
    per = a.per
    if other is None:
        print(f"total {fmt(sum(funcs.values()) / per)}")
        for k, v in sorted(funcs.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:a.top]:
            print(f"{fmt(v / per):>14} {k}")
        for n in names:
            print(f"calls {fmt(ncalls[n] / per):>12} {n}")
        return 0
    ofuncs, ocalls = other
    print(f"total {fmt(sum(funcs.values()) / per)} vs {fmt(sum(ofuncs.values()) / per)}")
    print(f"{'this':>14} {'vs':>14} {'vs - this':>14} function")
    keys = set(funcs) | set(ofuncs)
    diff = {k: ofuncs.get(k, 0) - funcs.get(k, 0) for k in keys}
    for k in sorted(keys, key=lambda k: (-abs(diff[k]), k))[:a.top]:
        print(f"{fmt(funcs.get(k, 0) / per):>14} {fmt(ofuncs.get(k, 0) / per):>14} "
              f"{fmt(diff[k] / per):>14} {k}")
    for n in names:
        print(f"calls {fmt(ncalls[n] / per):>12} {fmt(ocalls[n] / per):>14} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
