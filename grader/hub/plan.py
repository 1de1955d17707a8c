"""The multi-cohort hub as data, built from the operator's cohorts file.

The cohorts file (YAML or JSON, named by ``$CXLAB_HUB_COHORTS``) lists the cohorts home made by
``grader cohort create`` and each cohort's instructors; the learners come from each cohort's
``roster.csv``. Example (``grader/hub/cohorts.example.yaml``)::

    home: /srv/cxlab/cohorts          # required; relative paths are relative to this file
    exchange: /srv/nbgrader/exchange  # optional; default: the exchange the cohorts were made with
    state: /srv/cxlab/hub             # optional; default: hub-state/ beside this file
    admins: []                        # optional: hub administrators (none by default)
    service_port: 9900                # optional: first loopback port of the formgrader services
    cohorts:
      - id: gos-2025-1
        instructors: [ivanova]
      - id: gos-2025-2
        instructors: [ivanova, petrov]
        grader_user: grader-gos2      # optional; default grader-<id>
        port: 9950                    # optional; default service_port + position

Everything JupyterHub needs follows nbgrader's multiple-classes model (its
``demos/demo_multiple_classes``) with JupyterHub roles: per cohort a formgrader service named
after the cohort, running ``jupyterhub-singleuser`` as the Unix user ``grader-<id>`` in the
cohort's folder; groups ``formgrade-<id>`` (instructors and the grader account) and
``nbgrader-<id>`` (learners); and one role each, with the fewest scopes that work.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.cohort import COHORT_ID, Cohort, CohortError
from grader.roster import ID_PATTERN

__all__ = ["HubCohort", "HubConfigError", "HubPlan", "load_plan"]

ENV_COHORTS = "CXLAB_HUB_COHORTS"
DEFAULT_SERVICE_PORT = 9900
# Where a cohort's instructors land when they open the cohort's service: the formgrader in a
# browser tab of its own. JupyterHub >= 4.1 sends `frame-ancestors 'none'`, so the formgrader
# cannot be shown in nbgrader's JupyterLab iframe (nbgrader #1870); as a page of its own it
# works.
FORMGRADER_URL = "/formgrader"
# nbgrader's submit made private (see grader.nbgrader_ext.private_submit).
PRIVATE_SUBMIT = "grader.nbgrader_ext.private_submit.PrivateSubmit"
UNIX_NAME_MAX = 32

# The nbgrader lab extensions each kind of server shows (nbgrader's table for "multiple
# graders": learners and instructors get the assignment list, formgraders the formgrader and
# "create assignment"). The "Nbgrader" menu stays for learners: it is the only way into the
# assignment list, and with the other plugins off it offers nothing else.
LEARNER_DISABLED = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    # nbgrader's English learner tools: the Russian panel (cxlab.assignments) replaces them.
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:validate-assignment",
    "@jupyter/nbgrader:menu",
)
# The notebook with the Russian assignment panel, put into every home at spawn.
PANEL_NOTEBOOK = "Мои задания.ipynb"
PANEL_INTRO = (
    "# Мои задания\n\n"
    "Запустите ячейку ниже (Shift+Enter) и нажмите «Обновить список». Здесь вы получаете "
    "задания, проверяете их перед отправкой, отправляете и получаете отзыв преподавателя."
)
FORMGRADER_DISABLED = (
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
)
# JupyterLab's interface language for every server the hub starts.
LAB_OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "ru_RU"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
}


REPO = Path(__file__).resolve().parents[2]


class HubConfigError(ValueError):
    """The cohorts file or the system it describes cannot run the hub; lists every problem."""

    def __init__(self, source: object, problems: list[str]):
        self.problems = problems
        lines = [f"{source}: the hub cannot start ({len(problems)} problem(s)):"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class HubCohort:
    id: str
    root: Path
    instructors: tuple[str, ...]
    learners: tuple[str, ...]
    grader_user: str
    port: int
    exercises: Path | None = None  # the solution source the cohort releases from

    @property
    def formgrade_group(self) -> str:
        return f"formgrade-{self.id}"

    @property
    def learner_group(self) -> str:
        return f"nbgrader-{self.id}"


@dataclass(frozen=True)
class HubPlan:
    source: Path
    home: Path
    exchange: Path
    state: Path
    admins: tuple[str, ...]
    cohorts: tuple[HubCohort, ...]

    # -- where the hub keeps its files -------------------------------------------------------

    @property
    def private_dir(self) -> Path:
        """The hub's database and cookie secret (root only)."""
        return self.state / "private"

    @property
    def learner_config_dir(self) -> Path:
        """``JUPYTER_CONFIG_PATH`` of the servers the hub spawns for learners and instructors."""
        return self.state / "jupyter" / "learner"

    @property
    def formgrader_config_dir(self) -> Path:
        """``JUPYTER_CONFIG_PATH`` of the cohorts' formgrader services."""
        return self.state / "jupyter" / "formgrader"

    @property
    def lab_settings_dir(self) -> Path:
        return self.state / "jupyter" / "lab-settings"

    # -- users, groups, roles, services ------------------------------------------------------

    def allowed_users(self) -> set[str]:
        """Who may log in: learners and instructors. Grader accounts are hub users only as
        members of their formgrade group; they have no password and cannot log in."""
        users = set(self.admins)
        for cohort in self.cohorts:
            users.update(cohort.instructors)
            users.update(cohort.learners)
        return users

    def groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for cohort in self.cohorts:
            groups[cohort.formgrade_group] = sorted({*cohort.instructors, cohort.grader_user})
            groups[cohort.learner_group] = sorted(cohort.learners)
        return groups

    def roles(self) -> list[dict[str, Any]]:
        roles: list[dict[str, Any]] = []
        for cohort in self.cohorts:
            roles.append(
                {
                    "name": cohort.formgrade_group,
                    "description": f"Instructors of cohort {cohort.id}: use its formgrader",
                    "groups": [cohort.formgrade_group],
                    # Opening /services/<id>/ (the formgrader) and nothing else.
                    "scopes": [f"access:services!service={cohort.id}"],
                }
            )
            roles.append(
                {
                    "name": cohort.learner_group,
                    "description": f"Learners of cohort {cohort.id}",
                    "groups": [cohort.learner_group],
                    # As in nbgrader's demo: discover the cohort's service (its name and URL),
                    # read-only. What a learner sees of the cohort's assignments is decided by
                    # the group membership itself (JupyterHubAuthPlugin).
                    "scopes": ["list:services", f"read:services!service={cohort.id}"],
                }
            )
            roles.append(
                {
                    "name": f"service-{cohort.id}",
                    "description": f"The formgrader service of cohort {cohort.id}",
                    "services": [cohort.id],
                    "scopes": service_scopes(cohort),
                }
            )
        return roles

    def services(self, singleuser: list[str]) -> list[dict[str, Any]]:
        """The formgrader services; ``singleuser`` is the command of jupyterhub-singleuser."""
        services = []
        for cohort in self.cohorts:
            services.append(
                {
                    "name": cohort.id,
                    # jupyterhub-singleuser listens where JUPYTERHUB_SERVICE_URL says.
                    "url": f"http://127.0.0.1:{cohort.port}",
                    "command": [*singleuser, f"--ServerApp.root_dir={cohort.root}"],
                    "user": cohort.grader_user,
                    "cwd": str(cohort.root),
                    "environment": {
                        "JUPYTERHUB_DEFAULT_URL": FORMGRADER_URL,
                        "JUPYTER_CONFIG_PATH": str(self.formgrader_config_dir),
                    },
                    # A service of this hub, not a third party: no "authorize access" page.
                    "oauth_no_confirm": True,
                    "display": True,
                }
            )
        return services

    def server_token_scopes(self) -> list[str]:
        """Scopes of ``$JUPYTERHUB_API_TOKEN`` in learners' and instructors' servers."""
        return [
            # JupyterHub's own "server" role: report activity, let the owner in.
            "users:activity!user",
            "access:servers!server",
            # nbgrader's JupyterHubAuthPlugin in the server reads the owner's groups
            # (GET /users/<self>) to list only the owner's cohorts and to allow fetch/submit.
            "read:users:groups!user",
        ]

    # -- the Jupyter configuration spawned servers get ---------------------------------------

    def nbgrader_config(self, *, learner: bool) -> dict[str, Any]:
        config: dict[str, Any] = {
            "Exchange": {"root": str(self.exchange), "path_includes_course": True},
            "Authenticator": {"plugin_class": "nbgrader.auth.JupyterHubAuthPlugin"},
        }
        if learner:
            config["ExchangeFactory"] = {"submit": PRIVATE_SUBMIT}
        return config

    def write_jupyter_config(self) -> None:
        """Write the config folders spawned servers and services read (world-readable: they
        hold no secret), and the hub's private folder."""
        self.private_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.private_dir, 0o700)
        overrides = _merged_overrides()
        _write_json(self.lab_settings_dir / "overrides.json", overrides)
        for folder, learner, disabled in (
            (self.learner_config_dir, True, LEARNER_DISABLED),
            (self.formgrader_config_dir, False, FORMGRADER_DISABLED),
        ):
            _write_json(folder / "nbgrader_config.json", self.nbgrader_config(learner=learner))
            _write_json(
                folder / "labconfig" / "page_config.json",
                {"disabledExtensions": dict.fromkeys(disabled, True)},
            )
            _write_json(
                folder / "jupyter_server_config.json",
                {"LabApp": {"app_settings_dir": str(self.lab_settings_dir)}},
            )
        os.chmod(self.state, 0o755)
        for folder, _dirs, files in os.walk(self.state / "jupyter"):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o644)

    def prepare_exchange(self) -> None:
        """Create the exchange root as nbgrader wants it: everyone may create their cohort's
        folder in it (1777, like /tmp)."""
        self.exchange.mkdir(parents=True, exist_ok=True)
        os.chmod(self.exchange, 0o1777)

    def system_problems(self, python: str | Path) -> list[str]:
        """What on this machine stops the hub: an environment other accounts cannot run,
        missing grader accounts, cohort folders the grader account cannot write."""
        problems = []
        for path in (Path(os.path.realpath(python)), Path(__file__).resolve()):
            closed = _closed_to_others(path)
            if closed is not None:
                problems.append(
                    f"{path} cannot be used by other accounts ({closed} is mode "
                    f"{closed.stat().st_mode & 0o777:o}): every learner's server runs this "
                    "environment, so build it from a Python and a checkout all accounts can "
                    "read (grader/hub/README.md, 'Set up')"
                )
        for cohort in self.cohorts:
            try:
                account = pwd.getpwnam(cohort.grader_user)
            except KeyError:
                problems.append(
                    f"cohort {cohort.id}: no Unix account '{cohort.grader_user}' for its "
                    f"formgrader (create it: useradd -m {cohort.grader_user})"
                )
                continue
            owner = cohort.root.stat().st_uid
            if owner != account.pw_uid:
                problems.append(
                    f"cohort {cohort.id}: {cohort.root} belongs to uid {owner}, but its "
                    f"formgrader runs as {cohort.grader_user} (fix: chown -R "
                    f"{cohort.grader_user}: {cohort.root} && chmod 700 {cohort.root})"
                )
            elif cohort.root.stat().st_mode & 0o077:
                problems.append(
                    f"cohort {cohort.id}: {cohort.root} (gradebook, answer keys, submissions) "
                    f"is open to other accounts (fix: chmod 700 {cohort.root})"
                )
        problems += self.source_problems()
        return problems

    def graders(self) -> set[str]:
        """Accounts that may read solutions: grader accounts and instructors."""
        names = {c.grader_user for c in self.cohorts}
        for cohort in self.cohorts:
            names.update(cohort.instructors)
        return names

    def source_problems(self) -> list[str]:
        """Solution sources (exercises folders) that an account other than a grader or an
        instructor can read: the hub must not start while learners could copy the answers."""
        problems: list[str] = []
        # the checkout's exercises/, each cohort's, and answer keys built in the checkout
        # (autograde run from the repository writes them to .cxlab/ there)
        sources = {
            REPO / "exercises",
            REPO / ".cxlab",
            *(c.exercises for c in self.cohorts if c.exercises),
        }
        for source in sorted(Path(s).resolve() for s in sources):
            if not source.exists():
                continue
            reader = _outside_reader(source, self.graders())
            if reader:
                problems.append(
                    f"the solution source {source} can be read by {reader} (fix: chgrp -R "
                    f"<graders' group> {source} && chmod -R o-rwx,g-w {source}; see "
                    "grader/hub/README.md, 'Answer keys')"
                )
        return problems

    def missing_accounts(self) -> list[str]:
        """Learners and instructors who have no Unix account (they cannot start a server)."""
        missing = []
        for user in sorted(self.allowed_users()):
            try:
                pwd.getpwnam(user)
            except KeyError:
                missing.append(user)
        return missing


def service_scopes(cohort: HubCohort) -> list[str]:
    """The formgrader service's own scopes (its ``$JUPYTERHUB_API_TOKEN``), with the nbgrader
    0.9 calls (``nbgrader/auth/jupyterhub.py``) that need each one.

    Not granted, although nbgrader #1900 lists them as "sufficient": ``admin:groups`` (only to
    create a missing ``nbgrader-<id>`` group, and the hub creates every one at start),
    ``admin:users`` and ``list:users`` (nbgrader never calls them), ``list:services`` (the
    course list, which the service does not load).
    """
    return [
        # Every formgrader page builds an NbGraderAPI, which lists the exchange as the service's
        # account (JUPYTERHUB_USER = the grader account): JupyterHubAuthPlugin reads that
        # account's groups (GET /users/<grader>) and finds the cohort in formgrade-<id>. Only
        # this one account's groups.
        f"read:users:groups!user={cohort.grader_user}",
        # Adding or removing a learner (formgrader "Manage students", autograde creating a
        # missing student): GET /groups to see whether nbgrader-<id> exists (list:groups is a
        # subscope of groups), then POST/DELETE /groups/nbgrader-<id>/users. Filtered to the
        # cohort's own learner group: the service can change no other group.
        f"groups!group={cohort.learner_group}",
    ]


def load_plan(path: str | Path | None = None) -> HubPlan:
    """Read and check the cohorts file (default: ``$CXLAB_HUB_COHORTS``)."""
    if path is None:
        if not os.environ.get(ENV_COHORTS):
            raise HubConfigError(
                "jupyterhub_config.py",
                [f"set {ENV_COHORTS} to the cohorts file (see grader/hub/README.md)"],
            )
        path = os.environ[ENV_COHORTS]
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HubConfigError(path, [f"cannot read the cohorts file: {exc}"]) from None
    data = _parse(path, text)
    return _plan(path, data)


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError
        raise HubConfigError(path, [f"cannot parse the cohorts file: {exc}"]) from None
    if not isinstance(data, dict):
        raise HubConfigError(path, ["the file must hold a mapping (home, cohorts, ...)"])
    return data


_TOP_KEYS = {"home", "exchange", "state", "admins", "service_port", "cohorts"}
_COHORT_KEYS = {"id", "instructors", "grader_user", "port"}


def _names(value: Any, what: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{what} must be a list of user names")
        return ()
    for name in value:
        if not ID_PATTERN.match(name):
            problems.append(
                f"{what}: invalid user name '{name}' (lower-case Latin letters, digits, '_' "
                "or '-', starting with a letter, at most 32 characters)"
            )
    return tuple(value)


def _plan(path: Path, data: dict[str, Any]) -> HubPlan:
    problems: list[str] = []
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        problems.append(f"unknown key(s): {', '.join(unknown)} (known: {', '.join(_TOP_KEYS)})")
    base = path.parent

    def folder(key: str, default: Path | None) -> Path | None:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not value:
            problems.append(f"'{key}' must be a folder path")
            return default
        return (base / value).resolve()

    home = folder("home", None)
    if home is None and "home" not in data:
        problems.append("'home' (the folder `grader cohort create` made the cohorts in) is missing")
    state = folder("state", base / "hub-state")
    exchange = folder("exchange", None)
    admins = _names(data.get("admins"), "admins", problems)
    first_port = data.get("service_port", DEFAULT_SERVICE_PORT)
    if not isinstance(first_port, int) or not 1024 <= first_port <= 65535:
        problems.append("'service_port' must be a port number from 1024 to 65535")
        first_port = DEFAULT_SERVICE_PORT

    entries = data.get("cohorts")
    if not isinstance(entries, list) or not entries:
        problems.append("'cohorts' must list at least one cohort")
        entries = []
    cohorts: list[HubCohort] = []
    exchanges: dict[str, Path] = {}
    for position, entry in enumerate(entries):
        where = f"cohorts[{position}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(f"{where} must be a mapping with an 'id'")
            continue
        cid = entry["id"]
        where = f"cohort {cid}"
        extra = sorted(set(entry) - _COHORT_KEYS)
        if extra:
            problems.append(f"{where}: unknown key(s) {', '.join(extra)}")
        if not COHORT_ID.match(cid):
            problems.append(f"{where}: invalid cohort id (as `grader cohort create` requires)")
            continue
        instructors = _names(entry.get("instructors"), f"{where}: instructors", problems)
        if not instructors:
            problems.append(f"{where}: name at least one instructor")
        grader_user = entry.get("grader_user", f"grader-{cid}")
        if not isinstance(grader_user, str) or not ID_PATTERN.match(grader_user):
            problems.append(
                f"{where}: grader account '{grader_user}' is not a valid Unix user name "
                f"(at most {UNIX_NAME_MAX} characters): set 'grader_user'"
            )
        port = entry.get("port", first_port + position)
        if not isinstance(port, int) or not 1024 <= port <= 65535:
            problems.append(f"{where}: 'port' must be a port number from 1024 to 65535")
        if home is None:
            continue
        try:
            cohort = Cohort.load(home, cid)
            learners = tuple(learner.id for learner in cohort.learners())
        except (CohortError, OSError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        exchanges[cid] = cohort.exchange
        both = sorted(set(learners) & set(instructors))
        if both:
            problems.append(f"{where}: {', '.join(both)} both instructor and learner")
        cohorts.append(
            HubCohort(cid, cohort.root, instructors, learners, grader_user, port, cohort.exercises)
        )

    _unique([c.id for c in cohorts], "cohort id", problems)
    _unique([c.port for c in cohorts], "service port", problems)
    _unique([c.grader_user for c in cohorts], "grader account", problems)
    if exchange is None and exchanges:
        exchange = next(iter(exchanges.values()))
    for cid, used in exchanges.items():
        if exchange is not None and used != exchange:
            problems.append(
                f"cohort {cid} was created with the exchange {used}, the hub uses {exchange}: "
                "all cohorts of one hub share one exchange (recreate the cohort with --exchange)"
            )
    if problems:
        raise HubConfigError(path, problems)
    assert home is not None and exchange is not None and state is not None
    return HubPlan(path, home, exchange, state, admins, tuple(cohorts))


def _unique(values: list, what: str, problems: list[str]) -> None:
    seen = set()
    for value in values:
        if value in seen:
            problems.append(f"{what} {value} is used twice")
        seen.add(value)


def place_panel(spawner: Any) -> None:
    """``Spawner.pre_spawn_hook``: put the Russian assignment panel into the user's home
    (once; a learner who deletes or edits it keeps their choice). Written without following
    links and only if absent, as the hub runs as root in a folder the user controls."""
    import nbformat

    try:
        account = pwd.getpwnam(spawner.user.name)
    except KeyError:
        return
    target = Path(account.pw_dir) / PANEL_NOTEBOOK
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(PANEL_INTRO),
            nbformat.v4.new_code_cell("from cxlab import assignments\n\nassignments.panel()"),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError:  # already there (or not a place to write): leave it
        return
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        os.fchown(fh.fileno(), account.pw_uid, account.pw_gid)
        nbformat.write(nb, fh)


def _outside_reader(source: Path, graders: set[str]) -> str | None:
    """Who, if anyone outside ``graders``, can read a file of ``source``: "every account"
    (world-readable with a walkable path) or "group NAME (members: …)"."""
    import grp

    files = [source, *source.rglob("*")]
    for path in files:
        mode = path.stat().st_mode
        if not mode & stat.S_IROTH or not (path.is_file() or path == source):
            continue
        if all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents):
            return f"every account ({path} is mode {mode & 0o777:o})"
    for path in files:
        mode = path.stat().st_mode
        if path.is_file() and mode & stat.S_IRGRP:
            try:
                group = grp.getgrgid(path.stat().st_gid)
            except KeyError:
                continue
            members = set(group.gr_mem)
            members |= {u.pw_name for u in pwd.getpwall() if u.pw_gid == group.gr_gid}
            outside = sorted(members - graders - {"root"})
            if outside:
                return f"group {group.gr_name} (members: {', '.join(outside[:5])})"
    return None


def _closed_to_others(path: Path) -> Path | None:
    """The first of ``path`` and its folders that other accounts cannot enter or read."""
    if not path.stat().st_mode & stat.S_IROTH:
        return path
    for folder in path.parents:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def _merged_overrides() -> dict[str, Any]:
    """This environment's JupyterLab overrides (if any) with the Russian interface on top."""
    merged: dict[str, Any] = {}
    venv = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    try:
        merged = json.loads(venv.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        merged = {}
    for plugin, settings in LAB_OVERRIDES.items():
        merged.setdefault(plugin, {}).update(settings)
    return merged


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
