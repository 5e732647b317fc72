"""Helpers of tasks.py: set-up (bootstrap), the output folder, the dev server and the check's reports."""
