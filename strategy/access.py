"""Who may do what: the roles, the permission table, and the one check every write and export makes.

Pure Python, no Streamlit: the pages, the command line and the core functions all ask `require(user, action)`.
Hiding a page is a courtesy; this check is the rule.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from strategy.names import email_key, same_name

ROLES = ("viewer", "partner", "analyst", "admin")

ROLE_WORDS = {"viewer": "a viewer", "partner": "a partner", "analyst": "an analyst", "admin": "an admin"}

# action -> the roles allowed it. Every role reads every dashboard; the learning workspace is the partnership's
# shared notebook, so everyone who contributes (partners, analysts, admins) may write in it, but viewers (board
# members, the public) only read it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "import_activities": frozenset({"partner", "admin"}),
    "rollback_activities": frozenset({"partner", "admin"}),
    "import_indicators": frozenset({"analyst", "admin"}),
    "export": frozenset({"analyst", "admin"}),
    "edit_learning": frozenset({"partner", "analyst", "admin"}),
    "manage_users": frozenset({"admin"}),
    "manage_partners": frozenset({"admin"}),
    "manage_framework": frozenset({"admin"}),
    "view_audit_log": frozenset({"admin"}),
    # A backup is a full copy of everything (users, audit log, partners' files); a restore replaces everything.
    "backup": frozenset({"admin"}),
}

# What each action is, in the words of a refusal: "Only ... can <words>".
ACTION_WORDS = {
    "read": "read the dashboards",
    "import_activities": "upload activities",
    "rollback_activities": "roll back uploads",
    "import_indicators": "import indicator values",
    "export": "export data",
    "edit_learning": "edit the learning workspace",
    "manage_users": "manage users",
    "manage_partners": "manage partner organisations",
    "manage_framework": "change the framework or rebuild the database",
    "view_audit_log": "see the audit log",
    "backup": "back up or restore the database",
}

# Actions that a partner may take only for their own organisation.
PARTNER_SCOPED = frozenset({"import_activities", "rollback_activities"})

LOCAL_EMAIL = "local"
LOCAL_LABEL = "Local mode — no sign-in"

# Sign-in mode: STRATEGY_AUTH=oidc, or an [auth] section in the project's .streamlit/secrets.toml.
# STRATEGY_AUTH=local forces local mode (one machine, one person; never on a shared server).
AUTH_ENVIRONMENT = "STRATEGY_AUTH"
SECRETS_FILE = Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.toml"


class PermissionDenied(Exception):
    """The acting user's role does not allow the action; the message says why and what to ask for."""


@dataclass(frozen=True)
class User:
    """Someone acting on the dashboard: their email (its key, strategy/names.py), role, partner organisation (partners only)."""

    email: str
    role: str
    partner: str | None = None
    is_local: bool = False

    @property
    def label(self) -> str:
        """How the sidebar names who is signed in."""
        if self.is_local:
            return LOCAL_LABEL
        return f"{self.email} ({self.role}" + (f", {self.partner})" if self.partner else ")")

    def can(self, action: str, partner: str | None = None) -> bool:
        """Whether require() would allow the action."""
        try:
            require(self, action, partner)
        except PermissionDenied:
            return False
        return True


LOCAL_USER = User(email=LOCAL_EMAIL, role="admin", partner=None, is_local=True)


def normalised_email(email: str) -> str:
    """An email as users are stored and compared: its key (strategy/names.py), so "\u212aate@x.org" (Kelvin sign)
    is kate@x.org and nobody else."""
    return email_key(email)


def same_partner(a: str | None, b: str | None) -> bool:
    """Whether two partner names are the same organisation: the one rule of strategy/names.py, which the
    database look-ups use too (case, compatibility forms such as "ß"/"ss" and "ſ"/"s", and spaces do not matter)."""
    return same_name(a, b)


def roles_allowed(action: str) -> list[str]:
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}; add it to strategy.access.PERMISSIONS")
    return [role for role in ROLES if role in PERMISSIONS[action]]


def who_may(action: str) -> str:
    """The roles allowed an action, in words: 'partners, analysts and admins'."""
    names = [role + "s" for role in roles_allowed(action)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def require(user: User, action: str, partner: str | None = None) -> User:
    """The user, if their role allows the action (for a partner: only for their own organisation); else
    PermissionDenied with a message that says who may, who they are, and what to ask for."""
    allowed = roles_allowed(action)
    if not isinstance(user, User):
        raise PermissionDenied(f"To {ACTION_WORDS[action]} the dashboard must know who is acting; "
                               "sign in (or name yourself with --as EMAIL on the command line).")
    if user.role not in allowed:
        who = who_may(action)
        wanted = next((r for r in allowed if r != "admin"), "admin")
        raise PermissionDenied(f"Only {who} can {ACTION_WORDS[action]}; you are signed in as "
                               f"{ROLE_WORDS.get(user.role, user.role)}. Ask your administrator for the "
                               f"{wanted} role.")
    if action in PARTNER_SCOPED and user.role == "partner":
        if not user.partner:
            raise PermissionDenied(f"Your partner account is not linked to an organisation, so you cannot "
                                   f"{ACTION_WORDS[action]}. Ask your administrator to link it.")
        if partner is None or not same_partner(partner, user.partner):
            raise PermissionDenied(f"You can {ACTION_WORDS[action]} only for your own organisation, "
                                   f"{user.partner}" + (f", not for {partner}." if partner else "."))
    return user


def sign_in_mode(secrets_file: Path = SECRETS_FILE) -> bool:
    """Whether the dashboard runs with sign-in: STRATEGY_AUTH=oidc, or an [auth] section in secrets.toml."""
    chosen = os.environ.get(AUTH_ENVIRONMENT, "").strip().lower()
    if chosen in ("oidc", "sign-in", "signin"):
        return True
    if chosen == "local":
        return False
    try:
        return "auth" in tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
