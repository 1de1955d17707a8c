"""Gather the «Термины модуля» of every lecture notebook into course/glossary.md.

    python scripts/build_glossary.py          write course/glossary.md
    python scripts/build_glossary.py --check  exit 1 if the committed file is out of date

Each lecture ends with a «### Термины модуля» section of lines ``- **термин** — определение.``
The glossary lists every term once, alphabetically, with the modules that define it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

COURSE = Path(__file__).resolve().parent.parent / "course"
HEADING = "### Термины модуля"
ENTRY = re.compile(r"^\s*[-*]\s+\*\*(?P<term>[^*]+)\*\*\s+[—–-]\s+(?P<definition>.+?)\s*$")


def module_terms(path: Path) -> list[tuple[str, str]]:
    """Return (term, definition) pairs from the notebook's glossary section."""
    nb = nbformat.read(path, as_version=4)
    terms: list[tuple[str, str]] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or HEADING not in cell.source:
            continue
        section = cell.source.split(HEADING, 1)[1]
        for line in section.splitlines():
            if line.startswith("#"):
                break
            match = ENTRY.match(line)
            if match:
                terms.append((match["term"].strip(), match["definition"].strip()))
    return terms


def build() -> str:
    entries: dict[str, dict] = {}
    for path in sorted(COURSE.glob("[0-9][0-9]_*.ipynb")):
        number = int(path.name[:2])
        for term, definition in module_terms(path):
            key = term.lower().replace("«", "").replace("»", "").replace("ё", "е")
            entry = entries.setdefault(key, {"term": term, "definition": definition, "mods": []})
            if number not in entry["mods"]:
                entry["mods"].append(number)
    lines = [
        "# Глоссарий курса «Клиентоцентричность на госслужбе»",
        "",
        "Термины собраны из разделов «Термины модуля» лекционных тетрадей. В скобках — модули,",
        "где термин вводится. Файл создаётся командой `python scripts/build_glossary.py`;",
        "править нужно тетради, а не этот файл.",
        "",
    ]
    for key in sorted(entries):
        e = entries[key]
        mods = ", ".join(f"{m:02d}" for m in e["mods"])
        lines.append(f"- **{e['term']}** — {e['definition']} *(модуль {mods})*")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = build()
    target = COURSE / "glossary.md"
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("course/glossary.md is out of date: run python scripts/build_glossary.py")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10) + '- ')} terms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
