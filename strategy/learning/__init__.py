"""The partnership's learning workspace: shared purposes, empathy maps, experiments, allies and the learning log.

Every write takes an `actor` (a strategy.access.User), refuses unless their role may edit the learning workspace
(partners, analysts, admins), and records them in the audit log in the same transaction.
"""
