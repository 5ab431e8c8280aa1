"""Evaluations, their append-only versions, the review workflow, comments and the audit log."""
