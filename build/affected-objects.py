#!/usr/bin/env python3
"""affected-objects.py: which objects of a built kernel one commit can break.

    build/affected-objects.py --tree DIR --build DIR --commit REV [--from REV]
                                [--max-share F] [--config-changed SYM,...]

build-each.sh asks this for every state of the queue it builds after one
that is built (it makes everything where this prints FULL).  It prints the
objects (kbuild targets, relative to the build directory, and the
directories whose Makefile changed) whose compilation the commit can change
in a way that matters, and build-each compiles those.

An object is affected when its source file, or any file it includes (from
kbuild's .<object>.cmd dependency list), is a touched .c file or mentions a
symbol the commit changes in a header.  The changed symbols are found with
universal-ctags: every tag (function, prototype, macro, struct, member,
enum, typedef, variable) of the old or new header whose line range holds a
changed line, plus the tags of that header that mention one of them (the
inline wrappers and macros around a changed function), to a fixed point.
Another header that mentions a changed symbol only in the bodies of its
inline functions and macros passes the change on instead of using it: the
names of those join the symbols (again to a fixed point), so the objects
that call them are affected, not every object that includes the header
(an unused inline function compiles to nothing; one includer is compiled
so that the header is known to parse).  A mention anywhere else in a
header (a prototype, a struct, a function without "inline") makes every
includer of that header affected.
A header change that only touches comments changes no symbol; one object
that includes the header is still compiled, so that the header is known to
parse.

A header change that symbols cannot describe (a changed #include, #undef,
#pragma or unbalanced #if/#else/#endif line, a code line no tag covers)
affects every object that includes the header, as in make.  A changed
Makefile or Kbuild file adds its directory as a target; a Kconfig file may
only gain options, unless --config-changed says that the caller
reconfigured the build at this commit and names the symbols whose value
changed in its .config (none: an empty list, for a "select" of an option
that is already on, say): the objects whose kbuild dependencies name one of
them (include/config/SYM, as fixdep records it) and the directories whose
Makefile or Kbuild mentions CONFIG_SYM are affected, whatever the Kconfig
change is.

--from REV compares the commit with REV instead of its parent (build-each
walks the queue from a build of its tip back to the first patch): then a
.c file can also disappear (the Makefile change that drops its object is
in the same diff and builds its directory), and a header that disappears
affects every object that includes it.

The answer is FULL (an ordinary incremental make of everything) for a file
the kernel build reads other than those (assembly, linker scripts, scripts,
a Kconfig change to existing options), a file deleted or renamed, or when
the affected objects are more than --max-share of all (default 1: never).
A full make is not the cheaper answer when many objects are affected:
every object that earlier answers skipped is stale by then (older than a
header that changed since the last full make), and make compiles it too.
Measured walking back over the 50-patch queue on a 2-core machine: at the
state before patch 39, its 531 affected objects made as targets took 303
s, the full make it had been given before 437 s.  Those 531 were every
includer of <linux/mm.h>, whose inlines wrap the alloc_tag.h helpers that
patch 39 changes; with changes passed on through inlines, 4 objects (the
callers of those inlines) are affected.

Objects skipped here are stale, not forgotten: the next full make compiles
them against the tree of that patch, and test.sh builds the tip in full.

The dependency lists read from the .cmd files are kept in
BUILD/.affected-objects.deps, by each .cmd file's size and time: a walk
parses again only those of the objects it rebuilt.

Output: "FULL: <reason>" or "OBJECTS <n> of <total>: <symbols>" and then one
target per line.  Exit: 0 answered, 2 usage, 3 the tree or build is not
usable (no .cmd files: the build directory was never built).
"""

from __future__ import annotations

import argparse
import functools
import os
import pickle
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

E_USAGE = 2
E_BUILD = 3

# Files that the kernel build never reads: changes to them break nothing.
IGNORED_PREFIXES = ("Documentation/", "tools/", "MAINTAINERS", "LICENSES/",
                    "samples/", "CREDITS")
# Objects that only the kernel image's rules make (not as a single target).
IMAGE_ONLY_RE = re.compile(r"^arch/[^/]+/(boot|realmode/rm)/")
PREPROC_RE = re.compile(r"^\s*#\s*(\w+)")
IDENT_RE = re.compile(r"[A-Za-z_]\w*")


class Usage(Exception):
    """Bad arguments or an unusable tree or build directory."""

    def __init__(self, msg: str, code: int = E_USAGE) -> None:
        super().__init__(msg)
        self.code = code


@dataclass
class Tag:
    """One universal-ctags tag: a named thing and the lines it spans."""

    name: str
    kind: str
    start: int
    end: int
    scope: str


def git(tree: str, *args: str) -> str:
    """Output of a git command in @tree; Usage on failure."""
    res = subprocess.run(["git", "-C", tree, *args], capture_output=True,
                         text=True, check=False)
    if res.returncode != 0:
        raise Usage(f"git {' '.join(args)}: {res.stderr.strip()}", E_BUILD)
    return res.stdout


@functools.lru_cache(maxsize=None)
def ctags(text: str) -> list[Tag]:
    """The tags of a C header's text (run once per text: header_symbols()
    and wrapper_closure() both ask for the new version's)."""
    with tempfile.NamedTemporaryFile("w", suffix=".h", delete=False) as tmp:
        tmp.write(text)
        path = tmp.name
    try:
        res = subprocess.run(
            ["ctags-universal", "--language-force=C", "--kinds-C=+pxz",
             "--fields=+neKs", "--extras=-F", "-o", "-", path],
            capture_output=True, text=True, check=False)
    finally:
        os.unlink(path)
    if res.returncode != 0:
        raise Usage(f"ctags-universal failed: {res.stderr.strip()}", E_BUILD)
    return parse_ctags(res.stdout)


def parse_ctags(out: str) -> list[Tag]:
    """Tags from ctags' tags-format output (with +neKs fields)."""
    tags = []
    for line in out.splitlines():
        if line.startswith("!_"):
            continue
        cols = line.split("\t")
        fields = {}
        kind = ""
        for col in cols[3:]:
            key, sep, val = col.partition(":")
            if sep:
                fields[key] = val
            elif col and not kind:
                kind = col
        if "line" not in fields:
            continue
        start = int(fields["line"])
        end = int(fields.get("end", start))
        scope = ""
        for key in ("struct", "union", "enum"):
            if key in fields:
                scope = fields[key]
        tags.append(Tag(cols[0], kind, start, end, scope))
    return tags


def comment_lines(text: str) -> set[int]:
    """Line numbers (1-based) that hold only comments or white space."""
    return {num for num, line in enumerate(strip_comments(text).split("\n"), 1)
            if not line.strip()}


def changed_lines(diff: str) -> tuple[list[list[int]], list[list[int]]]:
    """Per hunk of a -U0 diff: the old numbers of its removed lines and the
    new numbers of its added lines."""
    old: list[list[int]] = []
    new: list[list[int]] = []
    hunk = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
    for line in diff.splitlines():
        m = hunk.match(line)
        if not m:
            continue
        ostart, ocount = int(m.group(1)), int(m.group(2) or "1")
        nstart, ncount = int(m.group(3)), int(m.group(4) or "1")
        old.append(list(range(ostart, ostart + ocount)))
        new.append(list(range(nstart, nstart + ncount)))
    return old, new


FWD_DECL_RE = re.compile(r"^\s*(?:struct|union|enum)\s+(\w+)\s*;\s*$")
CLOSURE_KINDS = ("function", "macro")


def balanced_conditionals(src: list[str], lines: list[int]) -> bool:
    """Whether the #if/#else/#endif lines among one hunk's changed @lines
    open and close only within it: a whole conditional block added or
    removed, whose content the tags of its lines account for."""
    depth = 0
    for num in lines:
        m = PREPROC_RE.match(src[num - 1]) if num <= len(src) else None
        if not m:
            continue
        word = m.group(1)
        if word in ("if", "ifdef", "ifndef"):
            depth += 1
        elif word in ("else", "elif", "endif"):
            if depth == 0:
                return False
            if word == "endif":
                depth -= 1
    return depth == 0


def header_symbols(text: str, hunks: list[list[int]]) -> set[str]:
    """Symbols of one version of a header that the changed lines touch.

    @hunks holds the changed line numbers of this version, per hunk.
    Raises ValueError with the reason when the change cannot be judged by
    symbols (the caller then builds in full).
    """
    if not any(hunks):
        return set()
    src = text.splitlines()
    comments = comment_lines(text)
    tags = ctags(text)
    syms: set[str] = set()
    for lines in hunks:
        balanced = balanced_conditionals(src, lines)
        for num in lines:
            if num in comments or num > len(src):
                continue
            m = PREPROC_RE.match(src[num - 1])
            if m and m.group(1) in ("if", "ifdef", "ifndef", "else",
                                    "elif", "endif") and balanced:
                continue
            if m and m.group(1) != "define":
                raise ValueError(f"a #{m.group(1)} line changed (line {num})")
            fwd = FWD_DECL_RE.match(src[num - 1])
            if fwd:
                syms.add(fwd.group(1))
                continue
            covering = [t for t in tags if t.start <= num <= t.end]
            if not covering:
                raise ValueError(f"line {num} "
                                 f"({src[num - 1].strip()[:40]!r}) is in "
                                 "no declaration ctags knows")
            for tag in covering:
                syms.add(tag.name)
                if tag.scope:
                    syms.add(tag.scope.split(":")[-1])
    return {s for s in syms if not s.startswith("__anon")}


def wrapper_closure(texts: dict[str, str],
                    syms: dict[str, set[str]]) -> dict[str, set[str]]:
    """Add to each header's changed symbols (@syms, by header) the names of
    its inline functions and macros that use a changed symbol of any of
    the headers (@texts: the new text of each), to a fixed point."""
    bodies: list[tuple[str, str, set[str]]] = []
    for hdr, text in texts.items():
        src = text.splitlines()
        for tag in ctags(text):
            if tag.kind in CLOSURE_KINDS:
                body = "\n".join(src[tag.start - 1:tag.end])
                bodies.append((hdr, tag.name, set(IDENT_RE.findall(body))))
    out = {hdr: set(v) for hdr, v in syms.items()}
    while True:
        every = set().union(*out.values()) if out else set()
        grew = False
        for hdr, name, ids in bodies:
            if name not in out[hdr] and ids & every:
                out[hdr].add(name)
                grew = True
        if not grew:
            return out


def kconfig_only_adds(diff: str) -> bool:
    """Whether a -U0 diff of a Kconfig file only adds whole new entries or
    changes help texts: no other line removed, and the other added lines
    of every hunk start with a config or menuconfig entry."""
    first = True
    for line in diff.splitlines():
        if line.startswith("@@"):
            first = True
            continue
        if line.startswith(("---", "+++")) or line[:1] not in "+-":
            continue
        text = line[1:]
        # Help text (indented by a tab and two spaces) and blank lines
        # change no option.
        if not text.strip() or text.startswith("\t  "):
            continue
        if line.startswith("-"):
            return False
        if first and not text.startswith(("config ", "menuconfig ")):
            return False
        first = False
    return True


def cmd_files(build: str) -> Iterator[tuple[str, str]]:
    """(kbuild target, path of its .cmd file) for every object of @build
    that a commit can affect (not host tools, module glue or the link)."""
    for root, _dirs, files in os.walk(build):
        for fname in files:
            if not (fname.startswith(".") and fname.endswith(".o.cmd")):
                continue
            target = os.path.relpath(os.path.join(root, fname[1:-4]), build)
            if target.endswith(".mod.o") or "/.tmp" in target or \
                    target.startswith(("scripts/", "tools/", ".")):
                continue
            yield target, os.path.join(root, fname)


CACHE_FILE = ".affected-objects.deps"
CACHE_VERSION = 1


def parse_cmd_file(path: str, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The files (relative to the tree) one .cmd file lists as the sources
    and dependencies of its object."""
    deps: set[str] = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip().rstrip("\\").strip()
            if line.startswith("source_"):
                line = line.split(":=", 1)[1].strip()
            elif line.startswith(("savedcmd_", "cmd_", "deps_")) \
                    or line.startswith("$(") or ":" in line:
                continue
            if not line:
                continue
            for pre in prefixes:
                if line.startswith(pre):
                    deps.add(sys.intern(os.path.normpath(line[len(pre):])))
                    break
    return tuple(sorted(deps))


def read_cmd_files(build: str, tree: str) -> dict[str, set[str]]:
    """kbuild target -> files (relative to the tree) it is built from.

    The lists are kept in @build/.affected-objects.deps by the .cmd file's
    size and modification time, so that a walk over the queue (one call per
    state) parses again only the .cmd files of the objects it rebuilt: the
    thousand or so of a kernel take 1-2.5 s to parse, and the cache is
    read in a tenth of that."""
    # kbuild writes source paths as it was given them: absolute, or
    # relative to the build directory ("../linux/mm/slub.c").
    prefixes = tuple(sorted({os.path.realpath(tree) + "/",
                             os.path.abspath(tree) + "/",
                             os.path.relpath(tree, build) + "/"}))
    cache_path = os.path.join(build, CACHE_FILE)
    old: dict[str, tuple[int, int, tuple[str, ...]]] = {}
    try:
        with open(cache_path, "rb") as fh:
            cached = pickle.load(fh)
        if cached.get("version") == CACHE_VERSION and \
                cached.get("prefixes") == prefixes and \
                isinstance(cached.get("entries"), dict):
            old = cached["entries"]
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError,
            KeyError, TypeError, ValueError):
        old = {}
    entries: dict[str, tuple[int, int, tuple[str, ...]]] = {}
    objs: dict[str, set[str]] = {}
    for target, path in cmd_files(build):
        st = os.stat(path)
        ent = old.get(target)
        if ent is None or ent[0] != st.st_mtime_ns or ent[1] != st.st_size:
            ent = (st.st_mtime_ns, st.st_size, parse_cmd_file(path, prefixes))
        entries[target] = ent
        if ent[2]:
            objs[target] = set(ent[2])
    if entries != old:
        try:
            with tempfile.NamedTemporaryFile("wb", dir=build, delete=False,
                                             prefix=CACHE_FILE) as tmp:
                pickle.dump({"version": CACHE_VERSION, "prefixes": prefixes,
                             "entries": entries}, tmp,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp.name, cache_path)
        except OSError:
            pass
    return objs


def config_users(build: str, tree: str, syms: set[str]) -> tuple[set[str], set[str]]:
    """Objects whose kbuild dependencies name one of @syms
    (include/config/SYM), and the directories (with a trailing /) whose
    Makefile or Kbuild mentions CONFIG_SYM for one of them."""
    objs: set[str] = set()
    dirs: set[str] = set()
    if not syms:
        return objs, dirs
    want = {f"include/config/{sym}" for sym in syms}
    for target, path in cmd_files(build):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for m in re.finditer(r"\$\(wildcard (include/config/[A-Za-z0-9_]+)\)",
                                 fh.read()):
                if m.group(1) in want:
                    objs.add(target)
                    break
    pattern = re.compile(r"\bCONFIG_(" + "|".join(sorted(syms)) + r")\b")
    for root, sub, files in os.walk(tree):
        sub[:] = [d for d in sub if not d.startswith(".")]
        for fname in files:
            if fname not in ("Makefile", "Kbuild"):
                continue
            path = os.path.join(root, fname)
            with open(path, encoding="utf-8", errors="replace") as fh:
                if pattern.search(fh.read()):
                    rel = os.path.relpath(root, tree)
                    if rel != ".":
                        dirs.add(rel + "/")
    return objs, dirs


def built_arches(build: str) -> set[str]:
    """The arch/ directories a build directory has objects in (one: its
    SRCARCH; an O= build creates only that one)."""
    try:
        return set(os.listdir(os.path.join(build, "arch")))
    except OSError:
        return set()


def not_read(path: str, arches: set[str]) -> bool:
    """Whether a build of @arches never reads @path: another architecture's
    files, and defconfigs and config fragments (arch/*/configs/, read only
    by "make *_defconfig" or "make *.config", never by a build of a
    configured tree).  Without an arch/ directory in the build, every
    arch/ path counts as read."""
    parts = path.split("/")
    if parts[0] != "arch" or len(parts) < 3 or not arches:
        return False
    return parts[1] not in arches or parts[2] == "configs"


def affected(tree: str, build: str, rev: str, max_share: float,
             frm: str | None = None,
             config_changed: set[str] | None = None) -> tuple[str, list[str]]:
    """("FULL: reason", []) or ("OBJECTS ...", targets) for commit @rev,
    compared with @frm (default: its parent)."""
    frm = frm or f"{rev}^"
    back = frm != f"{rev}^"
    status = git(tree, "diff", "-r", "-M", "--name-status", frm, rev)
    touched_c: set[str] = set()
    headers: list[str] = []
    deleted_h: list[str] = []
    dirs: set[str] = set()
    kconfig_ok = config_changed is not None
    arches = built_arches(build)
    for line in status.splitlines():
        parts = line.split("\t")
        if not parts[0]:
            continue
        code, path = parts[0], parts[-1]
        base = os.path.basename(path)
        if path.startswith(IGNORED_PREFIXES) or not_read(path, arches):
            continue
        if code[0] == "D" and back and (path.endswith(".c") or
                                        base in ("Makefile", "Kbuild")):
            # Only when walking back from a later commit: the object (the
            # directory) is gone, and the Makefile that built it is in the
            # diff.
            continue
        if code[0] == "D" and back and path.endswith(".h"):
            deleted_h.append(path)
            continue
        if code[0] not in "AM":
            return f"FULL: {path} was deleted or renamed", []
        if path.endswith(".c"):
            touched_c.add(path)
        elif path.endswith(".h") and code[0] == "M":
            headers.append(path)
        elif path.endswith(".h"):
            # A new header: only files of this commit can include it.
            touched_c.add(path)
        elif base in ("Makefile", "Kbuild"):
            # Its directory is built as a whole (a new object in it).
            dirs.add(os.path.dirname(path) + "/")
        elif base.startswith("Kconfig") and code[0] == "M":
            # New options only; the objects that use them come from the
            # .c files and Makefiles of the same commit.  Or the resulting
            # configuration is the one of the parent commit.
            if not kconfig_ok and not kconfig_only_adds(git(tree, "diff", "-U0", frm,
                                         rev, "--", path)):
                return f"FULL: {path} changes existing options", []
        else:
            return f"FULL: {path} is read by the build", []
    objs = read_cmd_files(build, tree)
    if not objs:
        raise Usage(f"no kbuild .cmd files under {build}", E_BUILD)
    # A touched .c file (or new header) affects the objects built from it.
    picked = {t for t, deps in objs.items() if deps & touched_c}
    # A header that is gone: its includers, as make would.
    picked |= {t for t, deps in objs.items() if deps & set(deleted_h)}
    cobjs, cdirs = config_users(build, tree, config_changed or set())
    picked |= cobjs
    dirs |= cdirs
    undecided: list[str] = []
    texts: dict[str, str] = {}
    by_hdr: dict[str, set[str]] = {}
    for hdr in headers:
        diff = git(tree, "diff", "-U0", frm, rev, "--", hdr)
        old_h, new_h = changed_lines(diff)
        new_text = git(tree, "show", f"{rev}:{hdr}")
        try:
            hsyms = header_symbols(git(tree, "show", f"{frm}:{hdr}"), old_h)
            hsyms |= header_symbols(new_text, new_h)
        except ValueError as exc:
            # Not judged by symbols: every includer, as make would.
            undecided.append(f"{hdr} ({exc})")
            picked |= {t for t, deps in objs.items() if hdr in deps}
            continue
        texts[hdr] = new_text
        by_hdr[hdr] = hsyms
    # The inline functions and macros of the changed headers that use a
    # changed symbol change with it (wrappers, also across the headers).
    by_hdr = wrapper_closure(texts, by_hdr)
    syms = set().union(*by_hdr.values()) if by_hdr else set()
    # Only objects that include a header can see what changed in it, and
    # of those the ones that use one of its changed symbols somewhere in
    # what they compile.  The changed headers themselves define them.
    # A header that uses them only in the bodies of its inline functions
    # and macros passes the change on to the users of those, not to every
    # object that includes it (header_users()).
    for hdr, hsyms in by_hdr.items():
        incl = sorted(t for t, deps in objs.items() if hdr in deps)
        files = set().union(*(objs[t] for t in incl)) - set(headers)
        users, through = header_users(tree, rev, hsyms, files)
        picked |= {t for t in incl if objs[t] & users}
        # At least one includer of the header, and of each header that
        # passes its change on, so that each is known to parse.
        for hfile in [hdr, *sorted(through)]:
            inc = [t for t in incl if hfile in objs[t]]
            if inc and not picked & set(inc):
                picked.add(next((t for t in inc if t.startswith("mm/")), inc[0]))
    picked_l = sorted(picked) + sorted(dirs)
    # The boot image's objects are made only by the image's own rules (with
    # its flags, and files generated from the linked vmlinux): "make
    # arch/x86/boot/compressed/misc.o" alone fails.
    for t in picked_l:
        if IMAGE_ONLY_RE.match(t):
            return f"FULL: {t} is made only with the kernel image", []
    if len(picked_l) > max_share * len(objs):
        return (f"FULL: {len(picked_l)} of {len(objs)} objects affected "
                f"(symbols: {' '.join(sorted(syms)) or '-'})"), []
    head = (f"OBJECTS {len(picked_l)} of {len(objs)}: symbols "
            f"{' '.join(sorted(syms)) or '(none)'}"
            + (f"; every includer of {', '.join(undecided)}"
               if undecided else ""))
    return head, picked_l


def words_re(syms: set[str]) -> re.Pattern[str]:
    """A pattern that matches any of @syms as a whole word."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(syms)))
                      + r")\b")


def grep_users(tree: str, rev: str, syms: set[str],
               files: set[str]) -> set[str]:
    """Those of @files (.c and .h files of @rev) that mention any of @syms
    as a word outside comments (a changed function named in another
    header's comment does not make that header's includers depend on it).
    Read from the work tree when it holds @rev unchanged (git grep reading
    every blob of a kernel tree takes about 20 s)."""
    paths = sorted(f for f in files if f.endswith((".c", ".h")))
    if not syms or not paths:
        return set()
    args = ["git", "-C", tree, "grep", "-n", "-w", "-F"]
    for sym in sorted(syms):
        args += ["-e", sym]
    at_rev = worktree_at(tree, rev)
    res = subprocess.run([*args, *([] if at_rev else [rev]), "--", *paths],
                         capture_output=True, text=True, check=False,
                         errors="replace")
    if res.returncode not in (0, 1):
        raise Usage(f"git grep failed: {res.stderr.strip()}", E_BUILD)
    word = words_re(syms)
    prefix = "" if at_rev else f"{rev}:"
    users: set[str] = set()
    maybe: set[str] = set()
    # "REV:PATH:LINE:TEXT".  A line that names a symbol in code settles its
    # file; a file whose every mention may be in a comment is read whole.
    for line in res.stdout.splitlines():
        line = line[len(prefix):]
        path, _num, text = line.split(":", 2)
        if path in users:
            continue
        lead = text.lstrip()
        if lead.startswith("*") or "*/" in text or \
                not word.search(strip_comments(text)):
            maybe.add(path)
        else:
            users.add(path)
    check = sorted(maybe - users)
    return users | {f for f, text in zip(check, blobs(tree, rev, check))
                    if word.search(strip_comments(text))}


INLINE_RE = re.compile(r"\b(?:inline|__inline|__inline__|__always_inline)\b")


def inline_spans(text: str) -> list[Tag]:
    """The tags of @text's macros and inline functions: code that an object
    compiles to something only where it names them.  A function without
    "inline" (a static function or a definition in a header) is not one."""
    src = text.splitlines()
    spans = []
    for tag in ctags(text):
        if tag.kind == "macro":
            spans.append(tag)
        elif tag.kind == "function" and 0 < tag.start <= len(src):
            line = src[tag.start - 1]
            pos = line.find(tag.name)
            head = line[:pos] if pos >= 0 else line
            # "static inline int\nname(...)": the keywords on the line before.
            if not head.strip() and tag.start >= 2:
                head = src[tag.start - 2]
            if INLINE_RE.search(head):
                spans.append(tag)
    return spans


def passed_on(text: str, word: re.Pattern[str]) -> set[str] | None:
    """The names of the inline functions and macros of header @text whose
    bodies hold every mention of @word outside comments, or None when a
    mention lies elsewhere (a prototype, a struct, a variable: every
    includer of the header uses it)."""
    spans = inline_spans(text)
    names: set[str] = set()
    for num, line in enumerate(strip_comments(text).split("\n"), 1):
        if not word.search(line):
            continue
        cover = [t.name for t in spans if t.start <= num <= t.end]
        if not cover:
            return None
        names.update(cover)
    return names


def header_users(tree: str, rev: str, syms: set[str],
                 files: set[str]) -> tuple[set[str], set[str]]:
    """The files among @files (of @rev) that use one of @syms, and the
    headers that pass them on.  A .c file that names one outside comments
    uses it.  A header whose every such mention lies in the bodies of its
    inline functions and macros passes them on: an object compiles those
    only where it calls them, so the names of those functions and macros
    join the symbols looked for, to a fixed point (a changed helper behind
    an inline of <linux/mm.h> makes the callers of that inline users, not
    every includer of <linux/mm.h>).  Any other header that names one uses
    it, and so does every object that includes it."""
    users: set[str] = set()
    through: set[str] = set()
    known = set(syms)
    new = set(syms)
    while new:
        found = grep_users(tree, rev, new, files - users)
        users |= {f for f in found if not f.endswith(".h")}
        heads = sorted(f for f in found if f.endswith(".h"))
        word = words_re(new)
        more: set[str] = set()
        for path, text in zip(heads, blobs(tree, rev, heads)):
            names = passed_on(text, word)
            if names is None:
                users.add(path)
            else:
                through.add(path)
                more |= names
        new = more - known
        known |= new
    return users, through - users


def worktree_at(tree: str, rev: str) -> bool:
    """Whether @tree's work tree holds @rev with no change to tracked files."""
    head = subprocess.run(["git", "-C", tree, "rev-parse", "HEAD", rev],
                          capture_output=True, text=True, check=False)
    revs = head.stdout.split()
    if head.returncode != 0 or len(revs) != 2 or revs[0] != revs[1]:
        return False
    return subprocess.run(["git", "-C", tree, "diff-index", "--quiet",
                           "HEAD", "--"], check=False).returncode == 0


def blobs(tree: str, rev: str, paths: list[str]) -> list[str]:
    """The texts of @paths at @rev, read by one git process."""
    if not paths:
        return []
    res = subprocess.run(["git", "-C", tree, "cat-file", "--batch"],
                         input="".join(f"{rev}:{p}\n" for p in paths).encode(),
                         capture_output=True, check=False)
    if res.returncode != 0:
        raise Usage(f"git cat-file failed: {res.stderr.decode().strip()}",
                    E_BUILD)
    out, pos, texts = res.stdout, 0, []
    for path in paths:
        # "<oid> blob <size>\n<content>\n" per object.
        eol = out.index(b"\n", pos)
        head = out[pos:eol].split()
        if len(head) != 3 or head[1] != b"blob":
            raise Usage(f"git cat-file: no blob {rev}:{path}", E_BUILD)
        size = int(head[2])
        texts.append(out[eol + 1:eol + 1 + size].decode("utf-8", "replace"))
        pos = eol + 1 + size + 1
    return texts


# A comment, or a string or character literal (kept: group 1).
COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/|"
                        r"(\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')",
                        re.S)


def strip_comments(text: str) -> str:
    """@text with each C comment replaced by a blank and the line breaks it
    held, so that lines keep their numbers (literals kept: a comment
    marker inside one is not a comment)."""
    return COMMENT_RE.sub(lambda m: m.group(1) or
                          " " + "\n" * m.group(0).count("\n"), text)


def main(argv: list[str]) -> int:
    """Command line entry."""
    ap = argparse.ArgumentParser(prog="affected-objects.py", add_help=False)
    ap.add_argument("--tree", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--commit", required=True)
    ap.add_argument("--max-share", type=float, default=1.0)
    ap.add_argument("--from", dest="frm", default=None)
    ap.add_argument("--config-changed", default=None)
    ap.add_argument("-h", "--help", action="store_true")
    if "-h" in argv or "--help" in argv:
        print(__doc__.strip())
        return 0
    try:
        opts = ap.parse_args(argv)
    except SystemExit:
        print("affected-objects.py: bad arguments (see -h)", file=sys.stderr)
        return E_USAGE
    try:
        if not 0 < opts.max_share <= 1:
            raise Usage("affected-objects.py: --max-share must be in (0, 1]")
        for d in (opts.tree, opts.build):
            if not os.path.isdir(d):
                raise Usage(f"affected-objects.py: no directory {d}")
        changed = None
        if opts.config_changed is not None:
            changed = {sym.removeprefix("CONFIG_")
                       for sym in opts.config_changed.split(",") if sym}
            if any(not re.fullmatch(r"[A-Za-z0-9_]+", sym) for sym in changed):
                raise Usage("affected-objects.py: --config-changed wants "
                            "a comma-separated list of CONFIG_ symbols")
        head, targets = affected(opts.tree, opts.build, opts.commit,
                                 opts.max_share, opts.frm, changed)
    except Usage as exc:
        msg = str(exc)
        if not msg.startswith("affected-objects.py"):
            msg = "affected-objects.py: " + msg
        print(msg, file=sys.stderr)
        return exc.code
    try:
        print(head)
        for target in targets:
            print(target)
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
