"""Count the widget models a notebook builds when it runs (a measurement, not a test).

    python scripts/count_widgets.py                      every exercises/*/*.ipynb source
    python scripts/count_widgets.py path/to/a.ipynb ...  the notebooks given

Each notebook runs in a scratch folder beside a copy of its ``*.answers.json`` (so the widgets
show the saved answers, as in grading), with nbclient storing the widget state in the
notebook's metadata as JupyterLab does. Printed per notebook: the number of widget models,
the five most frequent model names, and the size of the executed notebook in MB.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def measure(path: Path, timeout: int = 300) -> tuple[Counter[str], float]:
    """Run ``path`` in a scratch folder; return its widget models by name and its size in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / path.name
        shutil.copy(path, work)
        for answers in path.parent.glob("*.answers.json"):
            shutil.copy(answers, tmp)
        nb = nbformat.read(work, as_version=4)
        NotebookClient(
            nb, timeout=timeout, store_widget_state=True, resources={"metadata": {"path": tmp}}
        ).execute()
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    models = Counter(model["model_name"] for model in state.values())
    size = len(nbformat.writes(nb).encode("utf-8")) / 1e6
    return models, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every exercise source")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "exercises").glob("*/*.ipynb"))
    total = 0
    for path in paths:
        models, size = measure(path)
        count = sum(models.values())
        total += count
        top = ", ".join(f"{name.removesuffix('Model')} {n}" for name, n in models.most_common(5))
        print(f"{path.name:36s} {count:5d} models {size:6.2f} MB   {top}")
    print(f"{'total':36s} {total:5d} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
