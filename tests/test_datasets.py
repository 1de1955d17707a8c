"""The datasets in the repository are exactly what datasets/generate.py writes."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

DATASETS = REPO / "datasets"
NOT_GENERATED = {"README.md", "generate.py", "sources"}


def test_generator_reproduces_committed_files_byte_for_byte(tmp_path):
    """Does a fresh run of the generator give the committed files, byte for byte?"""
    subprocess.run(
        [sys.executable, str(DATASETS / "generate.py"), str(tmp_path)], check=True, timeout=120
    )
    generated = sorted(p.name for p in tmp_path.iterdir())
    assert generated, "the generator wrote nothing"
    for name in generated:
        assert (tmp_path / name).read_bytes() == (DATASETS / name).read_bytes(), name


def test_every_data_file_comes_from_the_generator(tmp_path):
    """Is there no hand-made data file that the generator does not produce?"""
    subprocess.run(
        [sys.executable, str(DATASETS / "generate.py"), str(tmp_path)], check=True, timeout=120
    )
    committed = {p.name for p in DATASETS.iterdir()} - NOT_GENERATED - {"__pycache__"}
    assert committed == {p.name for p in tmp_path.iterdir()}


def test_every_data_file_has_a_schema():
    """Can every data file be loaded by name (so none is reachable only by path)?"""
    from cxlab import data

    files = {p.name for p in DATASETS.iterdir()} - NOT_GENERATED - {"__pycache__"}
    assert files == {data.DATASETS[n].filename for n in data.names()}


def test_data_dictionary_documents_every_column():
    """Does datasets/README.md name every dataset and every column of the schemas?"""
    from cxlab import data

    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for name in data.names():
        spec = data.DATASETS[name]
        assert spec.filename in readme, spec.filename
        for column in spec.columns:
            assert f"`{column.name}`" in readme, f"{spec.filename}: {column.name}"
