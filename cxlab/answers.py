"""The answer store: widget answers kept in one JSON file beside the notebook.

``open_store("02_empathy")`` gives the store of ``02_empathy.answers.json`` in the current
folder (a kernel's working folder is its notebook's folder, in JupyterLab and in nbgrader's
autograde alike). The file travels with the submitted notebook and the autograder's tests read
it back with the same class.

Guarantees:
- every write goes to a temporary file in the same folder, is flushed to disk and renamed over
  the old file, so a crash leaves either the old or the new file, never half of one;
- a write takes an exclusive lock, re-reads the file and changes only its own question, so two
  kernels writing the same file lose nothing the other has saved;
- a corrupt file is renamed to ``<file>.corrupt-<time>`` and reported, never overwritten.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import fcntl
import hashlib
import json
import math
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["MAX_ANSWER_BYTES", "AnswerError", "AnswerStore", "AnswerStoreWarning", "open_store"]

FORMAT = "cxlab-answers"
VERSION = 1
MAX_ANSWER_BYTES = 1_000_000
_QID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class AnswerError(ValueError):
    """An answer cannot be saved (message in Russian, addressed to the learner)."""


class AnswerStoreWarning(UserWarning):
    """Something about the answers file needs the learner's attention (e.g. it was corrupt)."""


def open_store(name: str, directory: str | os.PathLike[str] | None = None) -> AnswerStore:
    """Return the store ``<name>.answers.json`` in ``directory`` (default: current folder)."""
    if not re.fullmatch(r"[\w.-]+", name):
        raise AnswerError(f"Недопустимое имя хранилища ответов: «{name}».")
    folder = Path(directory) if directory is not None else Path.cwd()
    return AnswerStore(folder / f"{name}.answers.json")


class AnswerStore:
    """Answers keyed by question id, persisted atomically to one JSON file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.backup: Path | None = None  # where a corrupt file was moved, if it was
        self._answers: dict[str, dict[str, Any]] = {}
        self.reload()

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.path)!r}, {len(self._answers)} answers)"

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the file from disk (a missing file is an empty store)."""
        with self._locked():
            self._answers = self._read_unlocked()

    def get(self, qid: str, default: Any = None) -> Any:
        """Return the saved answer to ``qid``, or ``default`` if there is none."""
        entry = self._answers.get(qid)
        return default if entry is None else copy.deepcopy(entry["value"])

    def saved_at(self, qid: str) -> str | None:
        """Return when ``qid`` was last saved (ISO 8601, UTC), or None."""
        entry = self._answers.get(qid)
        return None if entry is None else entry.get("saved_at")

    def all(self) -> dict[str, Any]:
        """Return a copy of all answers as ``{question id: value}``."""
        return {qid: copy.deepcopy(entry["value"]) for qid, entry in self._answers.items()}

    def __contains__(self, qid: object) -> bool:
        return qid in self._answers

    # -- writing ---------------------------------------------------------------------------
    def set(self, qid: str, value: Any) -> None:
        """Save ``value`` as the answer to ``qid`` (JSON-compatible, at most 1 MB)."""
        _check_qid(qid)
        encoded = _check_value(qid, value)
        entry = {"value": json.loads(encoded), "saved_at": _now()}
        with self._locked():
            answers = self._read_unlocked()
            answers[qid] = entry
            self._write_unlocked(answers)
            self._answers = answers

    def delete(self, qid: str) -> None:
        """Remove the answer to ``qid`` if there is one."""
        with self._locked():
            answers = self._read_unlocked()
            if answers.pop(qid, None) is not None:
                self._write_unlocked(answers)
            self._answers = answers

    # -- internals -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # The lock lives outside the notebook folder so that no lock file is submitted, in a
        # folder of this account's own: on a shared server (JupyterHub) a folder made by one
        # account would refuse the others, or let them hold a learner's lock.
        digest = hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:24]
        lock_dir = Path(tempfile.gettempdir()) / f"cxlab-locks-{os.getuid()}"
        try:
            lock_dir.mkdir(mode=0o700, exist_ok=True)
            foreign = lock_dir.is_symlink() or lock_dir.stat().st_uid != os.getuid()
        except FileExistsError:  # a file, not a folder, has the name
            foreign = True
        if foreign:
            raise AnswerError(
                f"Служебная папка {lock_dir} — не папка вашей учётной записи (чужая папка, "
                "ссылка или файл): ответы нельзя сохранить безопасно. Сообщите администратору "
                "курса."
            )
        with open(lock_dir / f"{digest}.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_unlocked(self) -> dict[str, dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            doc = json.loads(raw.decode("utf-8"))
            answers = doc["answers"]
            if doc.get("format") != FORMAT or not isinstance(answers, dict):
                raise ValueError("not a cxlab answers file")
            if not all(isinstance(e, dict) and "value" in e for e in answers.values()):
                raise ValueError("an entry has no value")
            version = doc.get("version", VERSION)
            if type(version) is not int:
                raise ValueError("the version is not an integer")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self._quarantine(exc)
            return {}
        if version > VERSION:
            raise AnswerError(
                f"Файл {self.path.name} записан более новой версией cxlab; обновите cxlab."
            )
        return answers

    def _quarantine(self, exc: Exception) -> None:
        stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, backup)
        self.backup = backup
        warnings.warn(
            f"Файл ответов {self.path.name} повреждён ({exc}). Он сохранён как {backup.name}, "
            "а ответы начаты заново. Если там были нужные ответы, покажите этот файл "
            "преподавателю.",
            AnswerStoreWarning,
            stacklevel=4,
        )

    def _write_unlocked(self, answers: dict[str, dict[str, Any]]) -> None:
        doc = {"format": FORMAT, "version": VERSION, "answers": answers}
        data = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


def _check_qid(qid: str) -> None:
    if not isinstance(qid, str) or not _QID.fullmatch(qid):
        raise AnswerError(
            f"Недопустимый идентификатор вопроса {qid!r}: нужны строчные латинские буквы, "
            "цифры и «_», начиная с буквы."
        )


def _check_value(qid: str, value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerError(f"Ответ на вопрос {qid}: число должно быть конечным.")
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise AnswerError(
            f"Ответ на вопрос {qid} нельзя сохранить: допустимы текст, числа, списки и "
            f"словари ({exc})."
        ) from exc
    try:
        size = len(encoded.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise AnswerError(
            f"Ответ на вопрос {qid} содержит повреждённый символ; вставьте текст заново."
        ) from exc
    if size > MAX_ANSWER_BYTES:
        raise AnswerError(f"Ответ на вопрос {qid} слишком длинный (больше 1 МБ). Сократите его.")
    return encoded


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
