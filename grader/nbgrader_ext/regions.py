"""Marked regions of a cell's source (hidden tests, mark schemes), for the feedback steps."""

from __future__ import annotations


def cut_regions(source: str, begin: str, end: str, note: str) -> str:
    """``source`` with every region from a line holding ``begin`` to a line holding ``end``
    (both included) replaced by one line, ``note``."""
    kept, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
            kept.append(note)
        elif end in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)
