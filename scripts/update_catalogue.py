"""Update grader's English message catalogue from the code.

    python scripts/update_catalogue.py

Extracts every ``_("…")`` message id from ``grader/`` with Babel and merges them into
``grader/locale/en/LC_MESSAGES/grader.po``: existing translations stay, new ids are added with
an empty translation (shown in Russian until someone translates them), ids no longer used are
dropped. ``tests/test_i18n.py`` fails when the catalogue is behind the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
PO = REPO / "grader" / "locale" / "en" / "LC_MESSAGES" / "grader.po"


def extracted() -> Catalog:
    template = Catalog(project="cxlab grader", locale="ru")
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(REPO / "grader"), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    ):
        template.add(message, locations=[(f"grader/{filename}", lineno)], context=context)
    return template


def main() -> int:
    template = extracted()
    if PO.is_file():
        with PO.open("rb") as f:
            catalog = read_po(f, locale="en")
    else:
        catalog = Catalog(locale="en", project="cxlab grader")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True)
    missing = sum(1 for m in catalog if m.id and not m.string)
    print(f"{PO.relative_to(REPO)}: {len(catalog)} messages, {missing} without a translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
