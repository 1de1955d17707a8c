"""Trusted grading: sandboxed kernels, verdicts outside the kernel, answer keys."""
