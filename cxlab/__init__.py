"""cxlab: the learner-side library of the course «Клиентоцентричность на госслужбе».

Modules: ``data`` (datasets by name), ``answers`` (the answer store), ``widgets`` (interactive
tools that save through the store), ``plots`` (charts with Russian labels), ``journey``
(journey measures). ``cxlab`` never imports ``grader``.
"""

__version__ = "0.1.0"
