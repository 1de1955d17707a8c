"""grader: the instructor side of cxlab (nbgrader configuration, course pipeline, CLI).

``grader`` may import ``cxlab``; ``cxlab`` never imports ``grader``.
"""
