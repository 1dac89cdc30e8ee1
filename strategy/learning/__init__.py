"""The partnership's learning workspace: shared purposes, empathy maps, experiments, allies and the learning log.

Every write takes an `actor` (a user's email, or "local") and records it in the audit log in the same transaction.
"""
