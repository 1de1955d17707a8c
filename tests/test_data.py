"""Tests for cxlab.data: loading the course datasets by name, checked against their schemas."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxlab import data
from cxlab.data import DATASETS, DatasetError

REAL_DIR = Path(data.__file__).resolve().parent.parent / "datasets"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@pytest.fixture(autouse=True)
def _real_data_dir(monkeypatch):
    """Every test starts from the repository's datasets, whatever the environment says."""
    monkeypatch.delenv("CXLAB_DATA_DIR", raising=False)


@pytest.fixture(scope="module")
def loaded() -> dict[str, object]:
    """Every dataset loaded once from the repository."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CXLAB_DATA_DIR", raising=False)
        return {name: data.load(name) for name in data.names()}


def _expected_dtype(col: data.Column) -> str:
    if col.kind == "int":
        return "Int64" if col.nullable else "int64"
    return {"float": "float64", "str": "object"}[col.kind]


# -- the real datasets ---------------------------------------------------------------------


def test_names_are_the_known_datasets():
    """Does names() list every dataset, sorted?"""
    assert data.names() == sorted(DATASETS)
    for name in ("belgorod_journey_as_is", "belgorod_interviews", "civil_service_stats"):
        assert name in data.names()


def test_every_data_file_has_a_name():
    """Is every CSV and JSON file in datasets/ loadable by a name, and every name's file there?"""
    files = {p.name for p in REAL_DIR.iterdir() if p.suffix in {".csv", ".json"}}
    assert files == {spec.filename for spec in DATASETS.values()}


@pytest.mark.parametrize("name", data.names())
def test_every_dataset_loads(name):
    """Does every named dataset load from the repository (CSV as a DataFrame, JSON as a dict)?"""
    obj = data.load(name)
    if DATASETS[name].filename.endswith(".json"):
        assert isinstance(obj, dict)
    else:
        assert isinstance(obj, pd.DataFrame)
        assert len(obj) > 0


@pytest.mark.parametrize("name", [n for n in data.names() if DATASETS[n].columns])
def test_csv_has_exactly_the_schema_columns_with_their_dtypes(name, loaded):
    """Does a CSV come back with the schema's columns, in order, each of its declared dtype?"""
    df = loaded[name]
    spec = DATASETS[name]
    assert list(df.columns) == [c.name for c in spec.columns]
    for col in spec.columns:
        series = df[col.name]
        if col.kind == "datetime":
            assert pd.api.types.is_datetime64_dtype(series), col.name
        else:
            assert str(series.dtype) == _expected_dtype(col), col.name


def test_empty_nullable_values_become_missing_not_empty_strings(loaded):
    """Are empty cells of nullable columns missing values (NA/None), not ""?"""
    journey = loaded["belgorod_journey_as_is"]
    home = journey[journey["institution"] == "Дом"].iloc[0]
    assert pd.isna(home["floor"])
    assert pd.isna(home["bill"])
    assert not (journey["pain"] == "").any()
    assert not (journey["bill"] == "").any()


def test_unknown_name_lists_the_known_names():
    """Does an unknown dataset name raise DatasetError listing the names that exist?"""
    with pytest.raises(DatasetError) as info:
        data.load("belgorod_journey")
    message = str(info.value)
    assert "belgorod_journey" in message
    for name in data.names():
        assert name in message
    assert CYRILLIC.search(message)


@pytest.mark.parametrize("name", data.names())
def test_describe_gives_russian_text(name):
    """Does describe() give a Russian description for every dataset?"""
    text = data.describe(name)
    assert isinstance(text, str)
    assert len(CYRILLIC.findall(text)) >= 10


def test_describe_of_an_unknown_name_raises():
    """Does describe() of an unknown name raise DatasetError too?"""
    with pytest.raises(DatasetError):
        data.describe("nope")


def test_data_dir_follows_the_environment_variable(tmp_path, monkeypatch):
    """Does CXLAB_DATA_DIR choose the folder the data is read from?"""
    assert data.data_dir() == REAL_DIR
    monkeypatch.setenv("CXLAB_DATA_DIR", str(tmp_path))
    assert data.data_dir() == tmp_path


# -- broken files --------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data folder that cxlab.data reads from; tests copy or write files into it."""
    monkeypatch.setenv("CXLAB_DATA_DIR", str(tmp_path))
    return tmp_path


def _lines(name: str) -> list[str]:
    return (REAL_DIR / DATASETS[name].filename).read_text(encoding="utf-8").splitlines(True)


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / DATASETS[name].filename
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _row_to_line(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(fields)
    return buf.getvalue()


def _set_cell(lines: list[str], line_no: int, column: str, value: str) -> list[str]:
    """Return ``lines`` with ``column`` of editor line ``line_no`` (header = 1) set to ``value``."""
    header = next(csv.reader([lines[0]]))
    fields = next(csv.reader([lines[line_no - 1]]))
    fields[header.index(column)] = value
    out = list(lines)
    out[line_no - 1] = _row_to_line(fields)
    return out


def _drop_column(lines: list[str], column: str) -> list[str]:
    rows = list(csv.reader(lines))
    i = rows[0].index(column)
    return [_row_to_line(r[:i] + r[i + 1 :]) for r in rows]


def _add_column(lines: list[str], column: str) -> list[str]:
    rows = list(csv.reader(lines))
    return [_row_to_line([*r, column if n == 0 else "x"]) for n, r in enumerate(rows)]


def _mentions_line(message: str, line_no: int) -> bool:
    return re.search(rf"строк\w*\s+{line_no}\b", message) is not None


def _load_error(name: str) -> str:
    with pytest.raises(DatasetError) as info:
        data.load(name)
    message = str(info.value)
    assert DATASETS[name].filename in message
    assert CYRILLIC.search(message)
    return message


def test_a_missing_file_is_named(data_dir):
    """Does a missing dataset file raise DatasetError naming the file?"""
    _load_error("belgorod_survey")


# (defect id, dataset, editor line, column, new value)
BAD_CELLS = [
    ("journey-non-numeric-int", "belgorod_journey_as_is", 6, "travel_min", "десять"),
    ("journey-fractional-int", "belgorod_journey_as_is", 5, "payment_rub", "1300.5"),
    ("journey-emotion-below-min", "belgorod_journey_as_is", 7, "emotion", "-3"),
    ("journey-floor-above-max", "belgorod_journey_as_is", 11, "floor", "12"),
    ("journey-empty-required", "belgorod_journey_as_is", 7, "stage", ""),
    ("journey-blank-required", "belgorod_journey_as_is", 8, "step", "   "),
    ("journey-duplicate-step-no", "belgorod_journey_as_is", 9, "step_no", "3"),
    ("survey-satisfaction-above-max", "belgorod_survey", 8, "satisfaction", "6"),
    ("survey-nps-below-min", "belgorod_survey", 15, "nps", "-1"),
    ("survey-period-not-a-choice", "belgorod_survey", 9, "period", "во время"),
    ("survey-duplicate-respondent", "belgorod_survey", 12, "respondent_id", "R0003"),
    ("log-period-not-a-choice", "belgorod_applicants_log", 40, "period", "до "),
    ("log-malformed-datetime", "belgorod_applicants_log", 20, "served_at", "14.10.2016 09:55"),
    ("log-impossible-date", "belgorod_applicants_log", 25, "queued_at", "2016-02-30T09:00"),
    ("log-empty-datetime", "belgorod_applicants_log", 33, "finished_at", ""),
    ("stats-non-numeric-float", "civil_service_stats", 4, "value", "около 300 тыс."),
    ("stats-negative-float", "civil_service_stats", 6, "value", "-60"),
    ("regions-year-out-of-range", "internal_clients_regions", 3, "year", "1999"),
]


@pytest.mark.parametrize(
    ("name", "line_no", "column", "value"),
    [case[1:] for case in BAD_CELLS],
    ids=[case[0] for case in BAD_CELLS],
)
def test_bad_value_is_reported_with_file_column_and_line(data_dir, name, line_no, column, value):
    """Does a cell breaking the schema raise DatasetError naming the file, column and line?"""
    _write(data_dir, name, _set_cell(_lines(name), line_no, column, value))
    message = _load_error(name)
    assert f"«{column}»" in message or column in message
    assert _mentions_line(message, line_no), message


def test_a_missing_column_is_named(data_dir):
    """Does a CSV without one of its columns raise DatasetError naming that column?"""
    _write(
        data_dir,
        "belgorod_journey_as_is",
        _drop_column(_lines("belgorod_journey_as_is"), "queue_min"),
    )
    message = _load_error("belgorod_journey_as_is")
    assert "queue_min" in message


def test_an_extra_column_is_named(data_dir):
    """Does a CSV with a column the schema lacks raise DatasetError naming that column?"""
    _write(data_dir, "belgorod_survey", _add_column(_lines("belgorod_survey"), "operator_notes"))
    message = _load_error("belgorod_survey")
    assert "operator_notes" in message


def test_a_repeated_column_is_named(data_dir):
    """Does a CSV with a column twice (pasted over another) raise DatasetError naming it?"""
    rows = list(csv.reader(_lines("belgorod_survey")))
    i = rows[0].index("comment")
    rows = [
        [*r[:i], r[i], r[i]] if n else [*r[:i], "comment", "comment"] for n, r in enumerate(rows)
    ]
    _write(data_dir, "belgorod_survey", [_row_to_line(r) for r in rows])
    message = _load_error("belgorod_survey")
    assert "повторяются столбцы comment" in message


def test_columns_in_another_order_still_load_in_schema_order(data_dir):
    """Does a CSV with its columns shuffled load with the schema's column order?"""
    rows = list(csv.reader(_lines("civil_service_stats")))
    _write(data_dir, "civil_service_stats", [_row_to_line(r[::-1]) for r in rows])
    df = data.load("civil_service_stats")
    assert list(df.columns) == [c.name for c in DATASETS["civil_service_stats"].columns]
    data_dir.joinpath("civil_service_stats.csv").unlink()
    shutil.copy(REAL_DIR / "civil_service_stats.csv", data_dir)
    pd.testing.assert_frame_equal(df, data.load("civil_service_stats"))


def test_a_row_with_too_many_fields_is_reported(data_dir):
    """Does a row with an extra comma raise DatasetError naming the file and the line?"""
    lines = _lines("civil_service_stats")
    lines[4] = lines[4].rstrip("\n") + ",лишнее\n"
    _write(data_dir, "civil_service_stats", lines)
    message = _load_error("civil_service_stats")
    assert re.search(r"\b5\b", message), message


def test_a_cp1251_csv_is_reported(data_dir):
    """Does a CSV saved in Windows-1251 instead of UTF-8 raise DatasetError naming the file?"""
    text = (REAL_DIR / "civil_service_stats.csv").read_text(encoding="utf-8")
    (data_dir / "civil_service_stats.csv").write_bytes(text.encode("cp1251"))
    _load_error("civil_service_stats")


def test_an_empty_csv_is_reported(data_dir):
    """Does an empty CSV file raise DatasetError naming the file?"""
    (data_dir / "belgorod_survey.csv").write_bytes(b"")
    _load_error("belgorod_survey")


def test_an_integer_too_large_for_int64_is_refused(data_dir):
    """Is a payment too large for int64 refused rather than wrapped to a negative number?"""
    name = "belgorod_journey_as_is"
    _write(data_dir, name, _set_cell(_lines(name), 5, "payment_rub", "99999999999999999999"))
    message = _load_error(name)
    assert "payment_rub" in message
    assert _mentions_line(message, 5)


def test_line_numbers_count_blank_lines(data_dir):
    """After a blank line in the file, is the reported line still the one an editor shows?"""
    name = "belgorod_journey_as_is"
    lines = _set_cell(_lines(name), 10, "payment_rub", "abc")
    lines.insert(3, "\n")  # the bad row is now on editor line 11
    _write(data_dir, name, lines)
    message = _load_error(name)
    assert _mentions_line(message, 11), message


def test_line_numbers_count_lines_inside_quoted_fields(data_dir):
    """After a comment spanning two lines, is the reported line still the one an editor shows?"""
    name = "belgorod_survey"
    lines = _set_cell(_lines(name), 5, "comment", "Первая строка\nвторая строка")
    lines = _set_cell(lines, 10, "satisfaction", "x")
    _write(data_dir, name, lines)
    text = (data_dir / "belgorod_survey.csv").read_text(encoding="utf-8")
    bad_line = text.splitlines().index(next(ln for ln in text.splitlines() if ",x," in ln)) + 1
    assert bad_line == 11
    message = _load_error(name)
    assert _mentions_line(message, bad_line), message


def _interviews() -> dict:
    return json.loads((REAL_DIR / "belgorod_interviews.json").read_text(encoding="utf-8"))


def test_invalid_json_is_reported_with_its_line(data_dir):
    """Does a JSON file with a syntax error raise DatasetError naming the file and the line?"""
    lines = (REAL_DIR / "belgorod_interviews.json").read_text(encoding="utf-8").splitlines(True)
    lines[6] = lines[6].rstrip().rstrip(",") + "\n"  # drop a comma between two keys
    text = "".join(lines)
    with pytest.raises(json.JSONDecodeError) as decode:
        json.loads(text)
    (data_dir / "belgorod_interviews.json").write_text(text, encoding="utf-8")
    message = _load_error("belgorod_interviews")
    assert re.search(rf"\b{decode.value.lineno}\b", message), message


def test_a_json_file_not_in_utf8_is_reported(data_dir):
    """Does a JSON file saved in Windows-1251 raise DatasetError naming the file?"""
    text = json.dumps(_interviews(), ensure_ascii=False)
    (data_dir / "belgorod_interviews.json").write_bytes(text.encode("cp1251", errors="replace"))
    _load_error("belgorod_interviews")


@pytest.mark.parametrize("key", ["pain_tags", "interviews"])
def test_json_without_a_required_key_names_the_key(data_dir, key):
    """Does a JSON dataset missing a required key raise DatasetError naming that key?"""
    obj = _interviews()
    del obj[key]
    (data_dir / "belgorod_interviews.json").write_text(json.dumps(obj), encoding="utf-8")
    message = _load_error("belgorod_interviews")
    assert key in message


def test_json_that_is_not_an_object_is_reported(data_dir):
    """Does a JSON dataset whose top level is a list raise DatasetError?"""
    (data_dir / "belgorod_interviews.json").write_text("[1, 2, 3]", encoding="utf-8")
    _load_error("belgorod_interviews")


def test_the_real_files_pass_when_copied(data_dir):
    """Do unmodified copies load from CXLAB_DATA_DIR, so the failures above are the defects'?"""
    for name in data.names():
        shutil.copy(REAL_DIR / DATASETS[name].filename, data_dir)
        data.load(name)


# -- the case facts ------------------------------------------------------------------------

NOT_A_PLACE = {"Дом", "В пути"}
DOCTORS = "Приём психиатра|Приём нарколога"


def _minutes(df: pd.DataFrame) -> int:
    return int(df[["travel_min", "queue_min", "service_min"]].to_numpy().sum())


def test_as_is_journey_matches_the_case(loaded):
    """Does the as-is journey take 3 days, 2 institutions, 3 bills, doctors on the 4th floor?"""
    df = loaded["belgorod_journey_as_is"]
    assert sorted(df["day"].unique()) == [1, 2, 3]
    places = set(df["institution"]) - NOT_A_PLACE
    assert len(places) == 2
    paid = df[df["payment_rub"] > 0]
    assert len(paid) == 3
    assert paid["bill"].nunique() == 3
    assert paid["bill"].notna().all()
    doctors = df[df["step"].str.contains(DOCTORS)]
    assert len(doctors) == 2
    assert (doctors["floor"] == 4).all()
    assert list(df["step_no"]) == list(range(1, len(df) + 1))


def test_to_be_journey_matches_the_case(loaded):
    """Does the to-be journey take 1 day, 1 institution, 1 payment, all on the ground floor?"""
    df = loaded["belgorod_journey_to_be"]
    assert set(df["day"]) == {1}
    assert len(set(df["institution"]) - NOT_A_PLACE) == 1
    assert (df["payment_rub"] > 0).sum() == 1
    floors = df["floor"].dropna()
    assert len(floors) > 0
    assert (floors == 1).all()
    in_centre = df[~df["institution"].isin(NOT_A_PLACE)]
    assert in_centre["floor"].notna().all()
    assert len(df[df["step"].str.contains(DOCTORS)]) == 2


def test_the_change_saves_several_times_the_time(loaded):
    """Does the as-is journey take at least 2.5 times the minutes of the to-be one?"""
    as_is = _minutes(loaded["belgorod_journey_as_is"])
    to_be = _minutes(loaded["belgorod_journey_to_be"])
    assert as_is / to_be >= 2.5


def test_the_total_payment_is_the_same_before_and_after(loaded):
    """Do the three bills of the as-is journey add up to the single to-be payment?"""
    as_is = loaded["belgorod_journey_as_is"]["payment_rub"].sum()
    to_be = loaded["belgorod_journey_to_be"]["payment_rub"].sum()
    assert as_is == to_be


def test_applicants_log_matches_the_case(loaded):
    """Do «до» applicants need 2–3 visit days and «после» ones 1, with times in order?"""
    log = loaded["belgorod_applicants_log"]
    assert log.groupby("applicant_id")["period"].nunique().max() == 1
    days = log.groupby(["period", "applicant_id"])["visit_day"].nunique()
    before, after = days.loc["до"], days.loc["после"]
    assert before.between(2, 3).all()
    assert (after == 1).all()
    assert (log["served_at"] >= log["queued_at"]).all()
    assert (log["finished_at"] >= log["served_at"]).all()
    assert 100 <= log["applicant_id"].nunique() <= 1000
    assert len(before) >= 50 and len(after) >= 50


def test_survey_satisfaction_rises_after_the_change(loaded):
    """Is under half satisfied (≥ 4) before the change and at least 90 % after?"""
    survey = loaded["belgorod_survey"]
    share = (survey["satisfaction"] >= 4).groupby(survey["period"]).mean()
    assert share["до"] < 0.5
    assert share["после"] >= 0.9


def _value(df: pd.DataFrame, indicator: str, group_column: str, group_prefix: str) -> float:
    rows = df[(df["indicator"] == indicator) & df[group_column].str.startswith(group_prefix)]
    assert len(rows) == 1, (indicator, group_prefix, rows)
    return float(rows["value"].iloc[0])


def test_civil_service_stats_hold_the_gaidar_forum_figures(loaded):
    """Does civil_service_stats hold the Gaidar Forum 2022 figures quoted in the course?"""
    df = loaded["civil_service_stats"]
    assert _value(df, "численность", "group", "федеральные") == 455_000
    assert _value(df, "доля женщин", "group", "центральные") == 60
    assert _value(df, "доля женщин", "group", "территориальные") == 73
    assert _value(df, "текучесть кадров", "group", "нормальный") == 7
    assert _value(df, "текучесть кадров", "group", "центральные") == 13
    assert _value(df, "текучесть кадров", "group", "территориальные") == 10
    assert _value(df, "текучесть кадров", "group", "региональные") == 17
    assert df["source"].str.contains("Гайдаровский форум").all()


def _region_value(df: pd.DataFrame, region: str, indicator: str, year: int | None = None) -> float:
    rows = df[df["region"].str.startswith(region) & df["indicator"].str.startswith(indicator)]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1, (region, indicator, year, rows)
    return float(rows["value"].iloc[0])


def test_internal_clients_regions_hold_the_regional_figures(loaded):
    """Does internal_clients_regions hold the Amur, Moscow and Leningrad region figures?"""
    df = loaded["internal_clients_regions"]
    assert _region_value(df, "Амурская", "текучесть", 2021) == 11.6
    assert _region_value(df, "Амурская", "текучесть", 2024) == 7.9
    assert _region_value(df, "Амурская", "ежедневные пользователи", 2021) == 30
    assert _region_value(df, "Амурская", "ежедневные пользователи", 2024) == 700
    assert _region_value(df, "Амурская", "требования стандарта") == 30
    assert _region_value(df, "Московская", "текучесть") == 0
    assert _region_value(df, "Московская", "удовлетвор") == 100
    assert _region_value(df, "Ленинградская", "участники") == 2000
    assert _region_value(df, "Ленинградская", "регионы") == 17


def test_interviews_are_consistent(loaded):
    """Are there 8–12 interviews whose key quotes are respondents' words and tags are known?"""
    obj = loaded["belgorod_interviews"]
    interviews = obj["interviews"]
    assert 8 <= len(interviews) <= 12
    ids = [i["id"] for i in interviews]
    assert len(set(ids)) == len(ids)
    for interview in interviews:
        said = [t["text"] for t in interview["turns"] if t["speaker"] == "респондент"]
        assert said, interview["id"]
        assert interview["key_quotes"], interview["id"]
        for quote in interview["key_quotes"]:
            assert any(quote in turn for turn in said), (interview["id"], quote)
        assert interview["pain_tags"], interview["id"]
        assert set(interview["pain_tags"]) <= set(obj["pain_tags"]), interview["id"]


def test_journey_pains_are_coded_with_interview_tags():
    """Does every pain on the journeys carry a tag of the interviews (and only pains do)?"""
    tags = set(data.load("belgorod_interviews")["pain_tags"])
    for name in ("belgorod_journey_as_is", "belgorod_journey_to_be"):
        journey = data.load(name)
        assert (journey["pain"].notna() == journey["pain_tag"].notna()).all(), name
        assert set(journey["pain_tag"].dropna()) <= tags, name


def test_ideas_answer_pains_the_interviews_name():
    """Does every idea address a pain tag that the interviews define?"""
    tags = set(data.load("belgorod_interviews")["pain_tags"])
    assert set(data.load("belgorod_ideas")["pain_tag"]) <= tags
