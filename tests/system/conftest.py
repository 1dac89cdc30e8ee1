"""Tests that start processes of their own: the command line, the server, kill -9, a full disk, backup and damage
drills, nginx in front of the server. `make test` runs them; `make check` leaves them out."""

from tests.app.conftest import open_page  # noqa: F401 (fixture: the damage drill opens the page after a repair)
