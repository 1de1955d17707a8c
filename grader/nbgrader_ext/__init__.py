"""Extensions plugged into nbgrader through its configuration."""
