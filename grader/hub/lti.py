"""Sign-in from the institution's LMS (Moodle and others) with LTI 1.3.

The hub is an LTI 1.3 tool through ``jupyterhub-ltiauthenticator``: the LMS signs each launch
(an OpenID Connect id_token) with its own keys, ``LTI13Authenticator`` checks the signature
against the LMS's JWKS and the LTI claims, and :class:`CohortLTI13Authenticator` decides who
the person is in cxlab:

- the launch's LMS course (``context.id``) names the cohort, through ``contexts``;
- a launch with a learner role (``…#Learner``, ``…#Student``) is the cohort's learner whose
  roster email is the launch's ``email``: the hub user is the roster id;
- a launch with a teaching role (``…#Instructor``, ``…#TeachingAssistant``,
  ``…#Administrator``, ``…#ContentDeveloper``) is the hub user ``instructor_emails[email]``,
  who must be an instructor of that cohort in the cohorts file;
- anything else is refused: an unknown course, a learner who is not (or no longer) on that
  cohort's roster, an instructor of another cohort, a launch without a usable role.

Groups and roles stay the hub plan's (``grader.hub.plan``): a learner lands in their cohort
because the plan put the roster id in ``nbgrader-<cohort>``, an instructor gets the formgrader
through ``formgrade-<cohort>``. The settings come from a JSON file (``$CXLAB_HUB_LTI``, see
``grader/hub/lti.example.json``) that ``jupyterhub_config.py`` reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CONTEXT_CLAIM",
    "ROLES_CLAIM",
    "Launch",
    "LaunchRefused",
    "LtiSettings",
    "map_launch",
]

CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
TEACHING = ("#Instructor", "#TeachingAssistant", "#Administrator", "#ContentDeveloper")
LEARNING = ("#Learner", "#Student")


class LaunchRefused(ValueError):
    """The launch is valid LTI but names nobody cxlab lets in; the message says why."""


@dataclass(frozen=True)
class Launch:
    name: str  # the hub user
    cohort: str
    role: str  # "learner" or "instructor"

    @property
    def group(self) -> str:
        return f"{'nbgrader' if self.role == 'learner' else 'formgrade'}-{self.cohort}"


@dataclass(frozen=True)
class LtiSettings:
    """The LTI part of the hub's set-up (the JSON file of ``$CXLAB_HUB_LTI``)."""

    issuer: str
    client_id: tuple[str, ...]
    authorize_url: str
    jwks_endpoint: str
    contexts: dict[str, str]  # LMS course id -> cohort id
    instructor_emails: dict[str, str]  # email in the LMS -> hub user

    @classmethod
    def load(cls, path: str | Path) -> LtiSettings:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        missing = [k for k in ("issuer", "client_id", "authorize_url", "jwks_endpoint",
                               "contexts") if not data.get(k)]  # fmt: skip
        if missing:
            raise ValueError(f"{path}: missing LTI setting(s): {', '.join(missing)}")
        client = data["client_id"]
        return cls(
            issuer=data["issuer"],
            client_id=tuple([client] if isinstance(client, str) else client),
            authorize_url=data["authorize_url"],
            jwks_endpoint=data["jwks_endpoint"],
            contexts=dict(data["contexts"]),
            instructor_emails={k.lower(): v for k, v in data.get("instructor_emails", {}).items()},
        )

    def apply(self, c) -> None:
        """Configure JupyterHub (``c``) to sign people in through the LMS."""
        c.JupyterHub.authenticator_class = "grader.hub.lti.CohortLTI13Authenticator"
        c.LTI13Authenticator.issuer = self.issuer
        c.LTI13Authenticator.client_id = set(self.client_id)
        c.LTI13Authenticator.authorize_url = self.authorize_url
        c.LTI13Authenticator.jwks_endpoint = self.jwks_endpoint
        c.CohortLTI13Authenticator.contexts = self.contexts
        c.CohortLTI13Authenticator.instructor_emails = self.instructor_emails


def _role(roles: list[str]) -> str | None:
    if any(r.endswith(TEACHING) for r in roles):
        return "instructor"
    if any(r.endswith(LEARNING) for r in roles):
        return "learner"
    return None


def map_launch(
    id_token: dict[str, Any],
    *,
    contexts: dict[str, str],
    learners: dict[str, dict[str, str]],
    instructors: dict[str, tuple[str, ...]],
    instructor_emails: dict[str, str],
) -> Launch:
    """Who a verified launch is in cxlab, or :class:`LaunchRefused`.

    ``learners``: ``{cohort: {email (lower case): roster id}}`` of active learners;
    ``instructors``: ``{cohort: instructor hub users}`` from the cohorts file.
    """
    context = (id_token.get(CONTEXT_CLAIM) or {}).get("id")
    cohort = contexts.get(str(context)) if context is not None else None
    if cohort is None or cohort not in instructors:
        raise LaunchRefused(f"LMS course {context!r} is not mapped to a cohort")
    role = _role(list(id_token.get(ROLES_CLAIM) or []))
    email = str(id_token.get("email") or "").strip().lower()
    if role is None:
        raise LaunchRefused(f"no learner or teaching role in {id_token.get(ROLES_CLAIM)!r}")
    if not email:
        raise LaunchRefused("the launch carries no email (the LMS must share it with the tool)")
    if role == "learner":
        name = learners.get(cohort, {}).get(email)
        if name is None:
            raise LaunchRefused(f"{email} is not an active learner of cohort {cohort}")
        return Launch(name, cohort, role)
    name = instructor_emails.get(email)
    if name is None or name not in instructors[cohort]:
        raise LaunchRefused(f"{email} is not an instructor of cohort {cohort}")
    return Launch(name, cohort, role)


def _directory(plan) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    from grader.cohort import Cohort

    learners, instructors = {}, {}
    for hub_cohort in plan.cohorts:
        cohort = Cohort.load(plan.home, hub_cohort.id)
        learners[hub_cohort.id] = {x.email.strip().lower(): x.id for x in cohort.learners()}
        instructors[hub_cohort.id] = tuple(hub_cohort.instructors)
    return learners, instructors


def _authenticator_class():
    from ltiauthenticator.lti13.auth import LTI13Authenticator
    from traitlets import Dict, Unicode

    class CohortLTI13Authenticator(LTI13Authenticator):
        """LTI 1.3 sign-in that maps the LMS course to a cohort and the LMS role to learner
        or instructor (see :mod:`grader.hub.lti`)."""

        contexts = Dict(
            key_trait=Unicode(), value_trait=Unicode(), config=True,
            help="LMS course (LTI context) id -> cohort id.",
        )  # fmt: skip
        instructor_emails = Dict(
            key_trait=Unicode(), value_trait=Unicode(), config=True,
            help="Instructor's email in the LMS -> hub user (an instructor in the cohorts file).",
        )  # fmt: skip
        cohorts_file = Unicode(
            "", config=True, help="The cohorts file (default: $CXLAB_HUB_COHORTS)."
        )

        async def authenticate(self, handler, data=None):
            from grader.hub.plan import load_plan

            token = dict(data or {})
            learners, instructors = _directory(load_plan(self.cohorts_file or None))
            try:
                launch = map_launch(
                    token, contexts=self.contexts, learners=learners,
                    instructors=instructors, instructor_emails=self.instructor_emails,
                )  # fmt: skip
            except LaunchRefused as exc:
                self.log.warning("LTI launch refused: %s", exc)
                return None
            self.log.info("LTI launch: %s as %s of %s", launch.name, launch.role, launch.cohort)
            return {"name": launch.name, "auth_state": token}

    return CohortLTI13Authenticator


def __getattr__(name: str):
    # ltiauthenticator is the hub extra's: import it only when the class is asked for.
    if name == "CohortLTI13Authenticator":
        cls = _authenticator_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
