"""LTI 1.3 sign-in from an LMS: a test platform signs launches with its own keys; the hub's
LTI authenticator (jupyterhub-ltiauthenticator's validation, then grader.hub.lti's mapping)
must let a learner in as their roster id in their cohort, an instructor in as the cohort's
instructor, and refuse a launch into another cohort, a withdrawn learner and a forged token.

Not covered here: the browser round trip through a running hub (OIDC login initiation and
the form post); see the report of issue 17.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from lti_platform import INSTRUCTOR, LEARNER, Platform
from ltiauthenticator.lti13.error import TokenError
from ltiauthenticator.lti13.validator import LTI13LaunchValidator
from traitlets.config import Config

from grader.hub.lti import Launch, LaunchRefused, LtiSettings, map_launch


@pytest.fixture
def cohorts(tmp_path):
    """Two cohorts as `grader cohort create` leaves them, and the hub's cohorts file."""
    home = tmp_path / "cohorts"
    for cid, rows in {
        "gos-1": ["anna,Ф,И,Anna@Example.ru,МФЦ", "boris,Ф,И,boris@example.ru,МФЦ"],
        "gos-2": ["vera,Ф,И,vera@example.ru,ФНС"],
    }.items():
        root = home / cid
        root.mkdir(parents=True)
        settings = {"id": cid, "exchange": str(tmp_path / "exchange")}
        if cid == "gos-1":
            settings["withdrawn"] = {"boris": "2027-02-01"}
        (root / "cohort.json").write_text(json.dumps(settings), encoding="utf-8")
        (root / "roster.csv").write_text(
            "id,last_name,first_name,email,agency\n" + "\n".join(rows) + "\n", encoding="utf-8"
        )
    path = tmp_path / "cohorts.yaml"
    path.write_text(
        "home: cohorts\ncohorts:\n  - id: gos-1\n    instructors: [ivanova]\n"
        "  - id: gos-2\n    instructors: [petrov]\n",
        encoding="utf-8",
    )
    return path


def _settings(tmp_path, lms: Platform) -> LtiSettings:
    path = tmp_path / "lti.json"
    path.write_text(
        json.dumps({
            "issuer": lms.issuer, "client_id": lms.client_id,
            "authorize_url": "https://lms.example.ru/auth", "jwks_endpoint": lms.jwks_url,
            "contexts": {"101": "gos-1", "202": "gos-2"},
            "instructor_emails": {"Teacher@example.ru": "ivanova", "t2@example.ru": "petrov"},
        }),
        encoding="utf-8",
    )  # fmt: skip
    return LtiSettings.load(path)


def _verified(lms: Platform, token: str) -> dict:
    """What ltiauthenticator's callback does before calling the authenticator."""
    validator = LTI13LaunchValidator()
    claims = validator.verify_and_decode_jwt(
        token, issuer=lms.issuer, audience=lms.client_id, jwks_endpoint=lms.jwks_url,
        jwks_algorithms=["RS256"],
    )  # fmt: skip
    validator.validate_id_token(claims)
    return claims


def _authenticator(cohorts, settings: LtiSettings):
    from grader.hub.lti import CohortLTI13Authenticator

    c = Config()
    settings.apply(c)
    c.CohortLTI13Authenticator.cohorts_file = str(cohorts)
    assert c.JupyterHub.authenticator_class == "grader.hub.lti.CohortLTI13Authenticator"
    return CohortLTI13Authenticator(config=c)


def test_launches_map_to_cohort_and_role(cohorts, tmp_path):
    """Does a signed learner launch from course 101 sign in as the roster id of cohort gos-1,
    an instructor launch as gos-1's instructor, and are a launch into the other cohort, a
    withdrawn learner, an unmapped course and a role-less launch refused?"""
    with Platform() as lms:
        auth = _authenticator(cohorts, _settings(tmp_path, lms))

        def login(**launch):
            claims = _verified(lms, lms.launch(**launch))
            return asyncio.run(auth.authenticate(None, claims))

        learner = login(email="anna@example.ru", roles=[LEARNER], context="101")
        assert learner["name"] == "anna"
        assert learner["auth_state"]["email"] == "anna@example.ru"
        teacher = login(email="teacher@example.ru", roles=[INSTRUCTOR], context="101")
        assert teacher["name"] == "ivanova"
        assert login(email="anna@example.ru", roles=[LEARNER], context="202") is None
        assert login(email="teacher@example.ru", roles=[INSTRUCTOR], context="202") is None
        assert login(email="boris@example.ru", roles=[LEARNER], context="101") is None
        assert login(email="anna@example.ru", roles=[LEARNER], context="999") is None
        assert login(email="anna@example.ru", roles=["urn:x#Guest"], context="101") is None


def test_a_launch_signed_with_other_keys_is_rejected(tmp_path):
    """Is an id_token signed with a key that is not the platform's rejected by the hub's
    validation before any mapping?"""
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with Platform() as lms:
        token = lms.launch(email="anna@example.ru", roles=[LEARNER], context="101", key=forger)
        with pytest.raises(TokenError):
            _verified(lms, token)
        with pytest.raises(TokenError):
            _verified(lms, lms.launch(email="a@example.ru", roles=[LEARNER], context="1",
                                      iss="https://other-lms.example.ru"))  # fmt: skip


def test_mapping_rules():
    """Are teaching roles (TA included) instructors, and does a learner need the cohort's
    roster email while an instructor needs the cohort's instructor list?"""
    base = {
        "contexts": {"c1": "gos-1"},
        "learners": {"gos-1": {"anna@example.ru": "anna"}},
        "instructors": {"gos-1": ("ivanova",)},
        "instructor_emails": {"t@example.ru": "ivanova", "x@example.ru": "petrov"},
    }

    def token(email, role):
        return {
            "email": email,
            "https://purl.imsglobal.org/spec/lti/claim/roles": [role],
            "https://purl.imsglobal.org/spec/lti/claim/context": {"id": "c1"},
        }

    assert map_launch(token("ANNA@example.ru", LEARNER), **base) == Launch(
        "anna", "gos-1", "learner"
    )
    ta = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
    assert map_launch(token("t@example.ru", ta), **base).group == "formgrade-gos-1"
    assert Launch("anna", "gos-1", "learner").group == "nbgrader-gos-1"
    with pytest.raises(LaunchRefused, match="not an instructor of cohort gos-1"):
        map_launch(token("x@example.ru", INSTRUCTOR), **base)
    with pytest.raises(LaunchRefused, match="no email"):
        map_launch(token("", LEARNER), **base)
