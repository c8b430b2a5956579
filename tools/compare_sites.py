"""Compare two built sites file by file, after normalising what differs between any two builds.

    python -m tools.compare_sites BEFORE_SITE AFTER_SITE [--show N]

Normalised: commit hashes and UTC times (ledger, notebooks), notebook cell ids and execution
times, sitemap dates, the order of attributes within a tag (Python-Markdown writes them sorted;
the old hooks wrote them in the order they were added) and whitespace between tags. Prints every file that differs after
that, with the first differing lines, and exits 1 if any does. Not a test: a tool for reviews
of changes that must not change what a reader sees.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

VOLATILE = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\b"), "<time>"),
    (re.compile(r"(commit <code>|commit `|commit \\u0060)[0-9a-f]{7,40}"), r"\1<hash>"),
    (re.compile(r"<lastmod>[^<]*</lastmod>"), "<lastmod/>"),
    # Notebooks: jupytext gives cells random ids on each read; the kernel stamps execution times.
    (re.compile(r'("id": "|id="cell-id=)[0-9a-f]{8}\b'), r"\1<cell-id>"),
    (re.compile(r'"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z"'), '"<time>"'),
]
TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:=\"[^\"]*\"|='[^']*'|=[^\s>]+)?)*)\s*(/?)>")
ATTR = re.compile(r"\s+([^\s=>/]+)(=\"[^\"]*\"|='[^']*'|=[^\s>]+)?")


def canonical_tag(match: re.Match) -> str:
    attrs = sorted(ATTR.findall(match[2]))
    return "<" + match[1] + "".join(f" {name}{value}" for name, value in attrs) + match[3] + ">"


def normalise(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    text = TAG.sub(canonical_tag, text)
    text = re.sub(r">\s*<", ">\n<", text)  # one line per tag boundary; whitespace between tags dropped
    return re.sub(r"[ \t]+\n", "\n", text).strip()


def compare(before: Path, after: Path, show: int) -> int:
    names = sorted({p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file()}
                   | {p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()})
    differing = 0
    for name in names:
        a, b = before / name, after / name
        if not a.is_file() or not b.is_file():
            print(f"only in {'after' if b.is_file() else 'before'}: {name}")
            differing += 1
            continue
        if a.read_bytes() == b.read_bytes():
            continue
        if name.endswith(".gz"):
            continue  # the sitemap's gzip copy: compared as sitemap.xml
        try:
            old, new = normalise(a.read_text(encoding="utf-8")), normalise(b.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            print(f"binary differs: {name}")
            differing += 1
            continue
        if old == new:
            continue
        differing += 1
        lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "before/" + name, "after/" + name, n=0, lineterm=""))
        print(f"differs: {name} ({sum(1 for line in lines if line[:1] in '+-') - 2} lines)")
        for line in lines[2:2 + show]:
            print("   " + line[:300])
    print(f"{differing} file(s) differ after normalisation")
    return 1 if differing else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=12, help="diff lines shown per file")
    args = parser.parse_args(argv)
    return compare(args.before, args.after, args.show)


if __name__ == "__main__":
    sys.exit(main())
