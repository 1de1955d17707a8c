"""The parallel autograder's own speed-ups keep nbgrader's behaviour (grader/parallel.py)."""

from __future__ import annotations

import pytest


def test_cached_metadata_validation_matches_jsonschema():
    """Does the grader's cached cell-metadata validation accept and refuse exactly what
    jsonschema.validate does, with the same message?"""
    import jsonschema
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    from grader.parallel import _CachedJsonschema

    schema = MetadataValidatorV3().schema
    cached = _CachedJsonschema()
    good = {"schema_version": 3, "grade": True, "solution": False, "locked": True,
            "grade_id": "t1", "points": 1, "task": False}  # fmt: skip
    cached.validate(good, schema)
    jsonschema.validate(good, schema)
    for bad in ({**good, "points": "many"}, {**good, "grade_id": 5}, {"schema_version": 3}):
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(bad, schema)
        with pytest.raises(jsonschema.ValidationError) as ours:
            cached.validate(bad, schema)
        assert str(ours.value) == str(theirs.value)
