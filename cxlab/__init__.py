"""cxlab: the learner-side library of the course «Клиентоцентричность на госслужбе».

Modules: ``data`` (datasets by name), ``answers`` (the answer store), ``widgets`` (interactive
tools, one module per design-thinking stage, that save through the store), ``feedback``
(formative feedback on interview questions and «Как мы могли бы…»), ``plots`` (charts with
Russian labels). ``cxlab`` never imports ``grader``.
"""

__version__ = "0.1.0"
