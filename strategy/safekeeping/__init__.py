"""Keeping the data safe: backups and restores, the uploaded originals, health checks, scratch files."""
