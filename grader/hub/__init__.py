"""The multi-cohort JupyterHub: one hub, one formgrader service per cohort.

``plan`` turns the operator's cohorts file into data (users, groups, roles, services and the
Jupyter configuration spawned servers get); ``jupyterhub_config.py`` hands it to JupyterHub.
``k8s/`` holds the Zero to JupyterHub values for deployments that outgrow one server.
"""
