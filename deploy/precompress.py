"""Gzip copies of the collected static files, for nginx's gzip_static (deploy/production.sh).

Only text formats, and only where the copy is missing or older than its file: an unhashed
name (base.css) keeps its name when its content changes, and its old .gz must not outlive
it. Copies whose file is gone are removed. Standard library only.

    python deploy/precompress.py STATIC_ROOT
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

TEXT = {".css", ".js", ".mjs", ".json", ".map", ".svg", ".txt", ".md", ".html", ".xml"}


def stale(path: Path, copy: Path) -> bool:
    return not copy.exists() or copy.stat().st_mtime < path.stat().st_mtime


def precompress(root: Path) -> tuple[int, int]:
    made = removed = 0
    for copy in root.rglob("*.gz"):
        if not copy.with_suffix("").exists():
            copy.unlink()
            removed += 1
    for path in root.rglob("*"):
        if path.suffix.lower() in TEXT and path.is_file():
            copy = path.with_name(path.name + ".gz")
            if stale(path, copy):
                # mtime=0: the copy is the same bytes whenever it is made.
                copy.write_bytes(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
                made += 1
    return made, removed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} STATIC_ROOT")
    made, removed = precompress(Path(sys.argv[1]))
    print(f"static: {made} gzip copies made, {removed} stale removed")
