# nbgrader configuration for working on the course straight from the repository:
#   nbgrader generate_assignment 02_empathy   (release/ and gradebook.db land here, ignored by git)
# Cohorts get their own course folders from `grader` (see README).
from grader.config import apply

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file
apply(c, root=".")
