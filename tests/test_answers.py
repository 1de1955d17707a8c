"""Tests for cxlab.answers: the JSON file that keeps every widget answer across restarts."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from cxlab import answers
from cxlab.answers import MAX_ANSWER_BYTES, AnswerError, AnswerStore, AnswerStoreWarning, open_store

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


def _is_russian(text: str) -> bool:
    return sum(ch in CYRILLIC for ch in text) >= 5


def _leftover_temp_files(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*"))


# -- round trips ---------------------------------------------------------------------------


def test_set_then_get_returns_the_value(tmp_path):
    """Does a saved answer come back from the same store?"""
    store = open_store("t", tmp_path)
    store.set("q1", "ответ")
    assert store.get("q1") == "ответ"
    assert "q1" in store
    assert store.get("q2") is None
    assert store.get("q2", "нет") == "нет"


def test_answers_survive_a_restart(tmp_path):
    """Does a new store on the same file (a kernel restart) see what the old one saved?"""
    first = open_store("t", tmp_path)
    first.set("q1", "текст")
    first.set("q2", {"says": "a", "feels": "b"})
    first.set("q3", [1, 2.5, None, True])

    again = open_store("t", tmp_path)
    assert again.all() == {
        "q1": "текст",
        "q2": {"says": "a", "feels": "b"},
        "q3": [1, 2.5, None, True],
    }


def test_open_store_writes_name_answers_json_in_the_directory(tmp_path):
    """Does open_store(name, directory) keep its answers in <directory>/<name>.answers.json?"""
    store = open_store("02_empathy", tmp_path)
    store.set("q1", 1)
    assert store.path == tmp_path / "02_empathy.answers.json"
    assert store.path.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["02_empathy.answers.json"]


def test_open_store_defaults_to_the_current_folder(tmp_path, monkeypatch):
    """Without a directory, does open_store use the kernel's working folder?"""
    monkeypatch.chdir(tmp_path)
    store = open_store("lecture")
    store.set("q1", "x")
    assert (tmp_path / "lecture.answers.json").is_file()
    assert AnswerStore(tmp_path / "lecture.answers.json").get("q1") == "x"


@pytest.mark.parametrize("name", ["../escape", "a/b", "", "имя файла"])
def test_open_store_refuses_names_that_are_not_plain_file_names(tmp_path, name):
    """Is a store name with a path separator or spaces refused in Russian?"""
    with pytest.raises(AnswerError) as info:
        open_store(name, tmp_path)
    assert _is_russian(str(info.value))
    assert list(tmp_path.iterdir()) == []


def test_file_on_disk_is_the_documented_json_format(tmp_path):
    """Is the file valid JSON with format, version, value and a UTC saved_at per answer?"""
    store = open_store("t", tmp_path)
    store.set("q1", "Привет")
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    assert doc["format"] == "cxlab-answers"
    assert doc["version"] == 1
    assert doc["answers"]["q1"]["value"] == "Привет"
    saved_at = dt.datetime.fromisoformat(doc["answers"]["q1"]["saved_at"])
    assert saved_at.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - saved_at) < dt.timedelta(minutes=5)
    assert store.saved_at("q1") == doc["answers"]["q1"]["saved_at"]
    assert store.saved_at("nothing") is None


def test_a_missing_file_is_an_empty_store_and_is_not_created_by_reading(tmp_path):
    """Does opening a store for a file that does not exist give no answers and write nothing?"""
    store = open_store("t", tmp_path)
    assert store.all() == {}
    assert not store.path.exists()


# -- atomic writes -------------------------------------------------------------------------


def test_failed_rename_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    """If the final rename fails, is the old file intact, no temp file left, the error raised?"""
    store = open_store("t", tmp_path)
    store.set("q1", "старое")
    before = store.path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(answers.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk gone"):
        store.set("q1", "новое")
    monkeypatch.undo()

    assert store.path.read_bytes() == before
    assert _leftover_temp_files(tmp_path, store.path.name) == []
    assert store.get("q1") == "старое"
    assert open_store("t", tmp_path).get("q1") == "старое"


def test_failed_write_leaves_no_temp_file(tmp_path, monkeypatch):
    """If writing the temp file fails, is the temp file removed and the old file kept?"""
    store = open_store("t", tmp_path)
    store.set("q1", "старое")
    before = store.path.read_bytes()

    def broken_fsync(fd):
        raise OSError("fsync failed")

    monkeypatch.setattr(answers.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="fsync failed"):
        store.set("q2", "новое")
    monkeypatch.undo()

    assert store.path.read_bytes() == before
    assert _leftover_temp_files(tmp_path, store.path.name) == []


# -- corrupt files -------------------------------------------------------------------------

CORRUPT_CONTENTS = {
    "garbage-bytes": b"\x00\x01\x02 this is not json {{{",
    "truncated-json": b'{"format": "cxlab-answers", "version": 1, "answers": {"q1": {"val',
    "empty-file": b"",
    "json-list": b"[1, 2, 3]",
    "no-answers-key": b'{"format": "cxlab-answers", "version": 1}',
    "wrong-format": b'{"format": "something-else", "version": 1, "answers": {}}',
    "answers-not-a-dict": b'{"format": "cxlab-answers", "version": 1, "answers": [1]}',
    "entry-without-value": b'{"format": "cxlab-answers", "version": 1, "answers": {"q1": {}}}',
    "entry-not-a-dict": b'{"format": "cxlab-answers", "version": 1, "answers": {"q1": 5}}',
    "invalid-utf8": b'{"format": "cxlab-answers", "version": 1, "answers": {"q1": '
    b'{"value": "\xff\xfe\xd0"}}}',
}


@pytest.mark.parametrize("content", CORRUPT_CONTENTS.values(), ids=CORRUPT_CONTENTS.keys())
def test_corrupt_file_is_kept_as_a_backup_and_the_store_starts_empty(tmp_path, content):
    """Does a corrupt answers file get kept byte for byte as a backup, with a warning?"""
    path = tmp_path / "t.answers.json"
    path.write_bytes(content)

    with pytest.warns(AnswerStoreWarning) as record:
        store = open_store("t", tmp_path)

    backups = sorted(tmp_path.glob("t.answers.json.corrupt-*"))
    assert len(backups) == 1
    assert store.backup == backups[0]
    assert backups[0].read_bytes() == content
    assert store.all() == {}
    assert not path.exists()
    message = str(record[0].message)
    assert backups[0].name in message
    assert _is_russian(message)


def test_after_a_corrupt_file_a_save_writes_a_fresh_file_and_keeps_the_backup(tmp_path):
    """After quarantine, does the next save write a valid file and leave the backup alone?"""
    path = tmp_path / "t.answers.json"
    content = b"\x89PNG not an answers file"
    path.write_bytes(content)
    with pytest.warns(AnswerStoreWarning):
        store = open_store("t", tmp_path)

    store.set("q1", "заново")

    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "cxlab-answers"
    assert doc["answers"]["q1"]["value"] == "заново"
    assert store.backup is not None
    assert store.backup.read_bytes() == content
    assert len(list(tmp_path.glob("*.corrupt-*"))) == 1
    assert open_store("t", tmp_path).all() == {"q1": "заново"}


def test_non_numeric_version_is_treated_as_corrupt(tmp_path):
    """Is a file whose version is not a number quarantined rather than crashing with TypeError?"""
    path = tmp_path / "t.answers.json"
    content = b'{"format": "cxlab-answers", "version": "1", "answers": {}}'
    path.write_bytes(content)
    with pytest.warns(AnswerStoreWarning):
        store = open_store("t", tmp_path)
    assert store.backup is not None
    assert store.backup.read_bytes() == content


def test_file_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    """Does a file written by a newer cxlab raise AnswerError and stay untouched?"""
    path = tmp_path / "t.answers.json"
    content = json.dumps(
        {"format": "cxlab-answers", "version": 99, "answers": {"q1": {"value": "x"}}}
    ).encode()
    path.write_bytes(content)

    with pytest.raises(AnswerError) as info:
        open_store("t", tmp_path)

    assert _is_russian(str(info.value))
    assert path.read_bytes() == content
    assert list(tmp_path.glob("*.corrupt-*")) == []


# -- several writers -----------------------------------------------------------------------


def test_two_stores_writing_alternately_lose_nothing(tmp_path):
    """Do two stores on one file, saving different questions in turn, keep all answers?"""
    one = open_store("t", tmp_path)
    two = open_store("t", tmp_path)
    for i in range(5):
        one.set(f"a{i}", f"один {i}")
        two.set(f"b{i}", f"два {i}")

    third = open_store("t", tmp_path)
    expected = {f"a{i}": f"один {i}" for i in range(5)} | {f"b{i}": f"два {i}" for i in range(5)}
    assert third.all() == expected


def _write_many(path: str, worker: int, barrier, count: int) -> None:
    store = AnswerStore(path)
    barrier.wait(timeout=20)
    for i in range(count):
        store.set(f"w{worker}_q{i:02d}", {"worker": worker, "i": i, "text": "ответ " * 20})


def test_concurrent_processes_lose_no_answers(tmp_path):
    """Do four processes saving 25 answers each into one file at once keep all 100?"""
    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "t.answers.json"
    workers, count = 4, 25
    barrier = ctx.Barrier(workers)
    procs = [
        ctx.Process(target=_write_many, args=(str(path), k, barrier, count)) for k in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * workers

    saved = AnswerStore(path).all()
    assert len(saved) == workers * count
    for k in range(workers):
        for i in range(count):
            assert saved[f"w{k}_q{i:02d}"]["i"] == i
    assert _leftover_temp_files(tmp_path, path.name) == []


# -- values --------------------------------------------------------------------------------

TEXTS = {
    "emoji": "Спасибо 🙏🏽 за помощь! 👩‍👩‍👧 ✅",
    "latin-accents": "Ça marche, naïve café — Zürich",
    "chinese": "客户中心 政府服务 ——「一站式」",
    "mixed-scripts": "עברית العربية Ελληνικά 한국어",
    "whitespace-and-quotes": '  «кавычки» "quotes" \\backslash\\ \n\tновая строка\r\n',
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_text_in_any_script_round_trips_exactly(tmp_path, text):
    """Does text with emoji, Latin, Chinese and control characters come back unchanged?"""
    open_store("t", tmp_path).set("q1", text)
    assert open_store("t", tmp_path).get("q1") == text


def test_a_100_kb_answer_is_accepted(tmp_path):
    """Is a long (100 KB) answer saved?"""
    text = "Длинный ответ. " * 4_000
    assert len(text.encode()) > 100_000
    open_store("t", tmp_path).set("q1", text)
    assert open_store("t", tmp_path).get("q1") == text


def test_an_answer_over_1_mb_is_refused_in_russian_and_nothing_is_written(tmp_path):
    """Is an answer over 1 MB refused with a Russian message, keeping the saved one?"""
    store = open_store("t", tmp_path)
    store.set("q1", "короткий ответ")
    before = store.path.read_bytes()

    with pytest.raises(AnswerError) as info:
        store.set("q1", "я" * 600_000)

    assert "длинный" in str(info.value)
    assert store.path.read_bytes() == before
    assert store.get("q1") == "короткий ответ"


def test_an_answer_over_1_mb_is_not_written_to_a_new_file(tmp_path):
    """When there is no file yet, does a refused answer leave no file behind?"""
    store = open_store("t", tmp_path)
    with pytest.raises(AnswerError):
        store.set("q1", "x" * (MAX_ANSWER_BYTES + 1))
    assert list(tmp_path.iterdir()) == []


def test_the_size_limit_is_exactly_1_mb_of_encoded_json(tmp_path):
    """Is an answer of exactly MAX_ANSWER_BYTES (as JSON) accepted and one byte more refused?"""
    store = open_store("t", tmp_path)
    fits = "x" * (MAX_ANSWER_BYTES - 2)  # two bytes for the JSON quotes
    store.set("q1", fits)
    assert open_store("t", tmp_path).get("q1") == fits
    with pytest.raises(AnswerError):
        store.set("q2", fits + "x")


NOT_JSON = {
    "set": {1, 2},
    "object": object(),
    "nan": float("nan"),
    "inf": float("inf"),
    "nan-in-list": [1.0, float("nan")],
    "bytes": b"abc",
    "lone-surrogate": "\ud800",
    "surrogate-in-dict": {"says": "ok \udfff"},
}


@pytest.mark.parametrize("value", NOT_JSON.values(), ids=NOT_JSON.keys())
def test_values_that_cannot_be_stored_as_json_are_refused(tmp_path, value):
    """Are sets, objects, NaN, bytes and broken characters refused in Russian, writing nothing?"""
    store = open_store("t", tmp_path)
    with pytest.raises(AnswerError) as info:
        store.set("q1", value)
    assert _is_russian(str(info.value))
    assert "q1" not in store
    assert list(tmp_path.iterdir()) == []


BAD_QIDS = ["", "Q1", "1abc", "a-b", "a" * 100, "a b", "ответ", "a\n", "_a", None, 1]


@pytest.mark.parametrize("qid", BAD_QIDS, ids=repr)
def test_bad_question_ids_are_refused(tmp_path, qid):
    """Are question ids other than lowercase snake_case (≤ 64 chars) refused in Russian?"""
    store = open_store("t", tmp_path)
    with pytest.raises(AnswerError) as info:
        store.set(qid, "x")
    assert _is_russian(str(info.value))
    assert list(tmp_path.iterdir()) == []


def test_the_longest_allowed_question_id_is_accepted(tmp_path):
    """Is a 64-character snake_case id accepted?"""
    qid = "q" + "_1" * 31 + "x"
    assert len(qid) == 64
    store = open_store("t", tmp_path)
    store.set(qid, "x")
    assert open_store("t", tmp_path).get(qid) == "x"


# -- delete and all ------------------------------------------------------------------------


def test_delete_removes_an_answer_and_persists(tmp_path):
    """Does delete remove just that answer, also for a store opened afterwards?"""
    store = open_store("t", tmp_path)
    store.set("q1", "a")
    store.set("q2", "b")
    store.delete("q1")
    assert "q1" not in store
    assert open_store("t", tmp_path).all() == {"q2": "b"}


def test_delete_of_a_missing_answer_writes_nothing(tmp_path):
    """Does deleting an answer that was never saved leave the folder empty?"""
    store = open_store("t", tmp_path)
    store.delete("q1")
    assert list(tmp_path.iterdir()) == []


def test_all_returns_a_copy(tmp_path):
    """Does changing the dict from all() leave the store unchanged?"""
    store = open_store("t", tmp_path)
    store.set("q1", "a")
    got = store.all()
    got["q1"] = "changed"
    got["q2"] = "added"
    assert store.all() == {"q1": "a"}
    assert "q2" not in store


def test_all_copies_nested_values_too(tmp_path):
    """Does changing a dict answer obtained from all() leave the store's answer unchanged?"""
    store = open_store("t", tmp_path)
    store.set("m", {"says": "a"})
    got = store.all()
    got["m"]["says"] = "changed without saving"
    assert store.get("m") == {"says": "a"}


def test_reload_sees_a_change_made_by_another_store(tmp_path):
    """Does reload() pick up an answer another store saved after this one was opened?"""
    reader = open_store("t", tmp_path)
    open_store("t", tmp_path).set("q1", "извне")
    assert "q1" not in reader
    reader.reload()
    assert reader.get("q1") == "извне"


def test_no_stray_files_are_left_in_the_notebook_folder(tmp_path):
    """After many saves and a delete, is the answers file the only file in the folder?"""
    store = open_store("t", tmp_path)
    for i in range(10):
        store.set(f"q{i}", i)
    store.delete("q3")
    assert [p.name for p in tmp_path.iterdir()] == ["t.answers.json"]
    assert os.stat(store.path).st_mode & 0o777 == 0o644


# -- the lock folder on a shared server ---------------------------------------------------


def _lock_dir(tmp: Path) -> Path:
    return tmp / f"cxlab-locks-{os.getuid()}"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of the test's own as $TMPDIR (tempfile.gettempdir())."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    return tmp


def test_locks_live_in_a_folder_private_to_the_account(tmp_path, private_tmp):
    """Is the lock folder made for this account only (0700), with no lock in the notebook's
    folder?"""
    (tmp_path / "nb").mkdir()
    store = open_store("t", tmp_path / "nb")
    store.set("q1", "ответ")
    folder = _lock_dir(private_tmp)
    assert folder.is_dir() and not folder.is_symlink()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert len(list(folder.glob("*.lock"))) == 1
    assert sorted(p.name for p in (tmp_path / "nb").iterdir()) == ["t.answers.json"]


def _make_link(tmp: Path, elsewhere: Path) -> None:
    elsewhere.mkdir()
    _lock_dir(tmp).symlink_to(elsewhere)


def _make_file(tmp: Path, elsewhere: Path) -> None:
    _lock_dir(tmp).write_text("", encoding="utf-8")


def _make_foreign(tmp: Path, elsewhere: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another account needs root")
    _lock_dir(tmp).mkdir(mode=0o700)
    os.chown(_lock_dir(tmp), 65534, 65534)  # nobody


@pytest.mark.parametrize(
    "plant", [_make_link, _make_file, _make_foreign], ids=["symlink", "file", "foreign-owner"]
)
def test_a_lock_folder_planted_by_someone_else_is_refused_in_russian(tmp_path, private_tmp, plant):
    """Does the store refuse to lock (and so to save) through a lock folder that another
    account could control (a symlink, a file in its place, a folder owned by someone else),
    in Russian, leaving the answers file as it was?"""
    nb = tmp_path / "nb"
    nb.mkdir()
    store = open_store("t", nb)
    store.set("q1", "до")
    before = (nb / "t.answers.json").read_bytes()
    shutil.rmtree(_lock_dir(private_tmp))
    plant(private_tmp, tmp_path / "elsewhere")
    with pytest.raises(AnswerError) as exc:
        store.set("q1", "после")
    assert _is_russian(str(exc.value))
    assert str(_lock_dir(private_tmp)) in str(exc.value)
    assert (nb / "t.answers.json").read_bytes() == before
    with pytest.raises(AnswerError):
        open_store("t", nb)  # reading locks too
