"""nbgrader's submit, with the submission closed to every account but its grader's.

Stock nbgrader 0.9 (``exchange/default/submit.py``) leaves a submission in the exchange's
``inbound/`` folder as ``<learner>+<assignment>+<time>+<random>/`` with mode ``0777`` and its
files ``0644``: any account that learns the folder's name can read, even replace, another
learner's work; only the unlistable ``inbound/`` (``2733``) and the random suffix hide it.

``inbound/`` belongs to the grader account that released the assignment and carries the
set-group-id bit, so the submission's folder is created in that account's group. This subclass,
after nbgrader's own copy, takes the folder away from everyone else (``0770``: owner and grader
group): other accounts cannot even enter it, whatever the modes of the files inside, and
``collect`` reads through the group exactly as before. Should the folder not be in the grader's
group (``inbound/`` lost its set-group-id bit), nbgrader's modes are kept and a warning is
logged: a submission the grader cannot collect would be worse than an exposed one.
"""

from __future__ import annotations

import os
import stat

from nbgrader.exchange.default.submit import ExchangeSubmit

SUBMISSION_MODE = stat.S_IRWXU | stat.S_IRWXG  # 0770


class PrivateSubmit(ExchangeSubmit):
    """Submit to the filesystem exchange; only the learner and the grader group can enter."""

    def copy_files(self) -> None:
        super().copy_files()
        submission = os.path.join(self.inbound_path, self.assignment_filename)
        if os.stat(submission).st_gid != os.stat(self.inbound_path).st_gid:
            self.log.warning(
                "%s is not in the group of %s (no set-group-id bit?): left readable by all",
                submission,
                self.inbound_path,
            )
            return
        os.chmod(submission, SUBMISSION_MODE)
