"""JupyterHub for several cxlab cohorts at once (nbgrader's multiple-classes model).

    CXLAB_HUB_COHORTS=/srv/cxlab/cohorts.yaml jupyterhub -f grader/hub/jupyterhub_config.py

Run it as root from the environment cxlab is installed in (PAM reads /etc/shadow and the
spawner starts every server as its owner's Unix account). Everything cohort-specific comes from
the cohorts file (see ``grader/hub/plan.py`` and ``grader/hub/README.md``); ports and the
public address are ordinary JupyterHub options (``--ip``, ``--port``,
``--JupyterHub.hub_port``, ``--ConfigurableHTTPProxy.api_url``).
"""

import logging
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from grader.hub.lti import LtiSettings
from grader.hub.plan import PANEL_NOTEBOOK, HubConfigError, load_plan, place_panel

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
log = logging.getLogger("JupyterHub")

REPO = Path(__file__).resolve().parents[2]
# Servers and services run on the hub's own interpreter (not a script's shebang).
SINGLEUSER = [sys.executable, "-m", "jupyterhub.singleuser"]

plan = load_plan()
problems = plan.system_problems(sys.executable)
if problems:
    raise HubConfigError(plan.source, problems)
missing = plan.missing_accounts()
if missing:
    log.warning("no Unix account (they cannot start a server): %s", ", ".join(missing))
plan.prepare_exchange()
plan.write_jupyter_config()

# -- the hub's own files --------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{plan.private_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(plan.private_dir / "jupyterhub_cookie_secret")
# configurable-http-proxy from npm: on PATH, or in the checkout's .node/ (scripts/test.sh).
if shutil.which("configurable-http-proxy") is None:
    local = REPO / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        c.ConfigurableHTTPProxy.command = [str(local)]

# -- who may log in -------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"  # real Unix accounts and their passwords
# Or from the institution's LMS with LTI 1.3 (grader/hub/lti.py): $CXLAB_HUB_LTI names the
# JSON file with the LMS's issuer, keys, client id and which LMS course is which cohort.
if os.environ.get("CXLAB_HUB_LTI"):
    LtiSettings.load(os.environ["CXLAB_HUB_LTI"]).apply(c)
c.Authenticator.allowed_users = plan.allowed_users()
# The cohorts file is the only source of truth: a learner taken off every roster cannot log in
# even though the hub's database still knows them.
c.Authenticator.allow_existing_users = False
c.Authenticator.admin_users = set(plan.admins)

# -- groups, roles, services (one formgrader per cohort) ------------------------------------
c.JupyterHub.load_groups = plan.groups()
c.JupyterHub.load_roles = plan.roles()
c.JupyterHub.services = plan.services(SINGLEUSER)

# -- learners' and instructors' servers -----------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = SINGLEUSER
# Learners land on their Russian assignment panel (placed in every home at spawn).
c.Spawner.pre_spawn_hook = place_panel
c.Spawner.default_url = "/lab/tree/" + quote(PANEL_NOTEBOOK)
c.Spawner.notebook_dir = "~"
# The generated nbgrader config (exchange, JupyterHubAuthPlugin, private submissions), the
# learners' set of nbgrader lab extensions and the Russian interface.
c.Spawner.environment = {"JUPYTER_CONFIG_PATH": str(plan.learner_config_dir)}
c.Spawner.server_token_scopes = plan.server_token_scopes()
# A 2-core server with a class logging in at once starts servers slowly.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
