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
    "manage_rounds": frozenset({"analyst", "admin"}),
    "see_round_status": frozenset({"partner", "analyst", "admin"}),
    "record_decisions": frozenset({"analyst", "admin"}),
    "save_scenarios": frozenset({"analyst", "admin"}),
    "see_partner_fit": frozenset({"partner", "analyst", "admin"}),
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
    "manage_rounds": "open reporting rounds and send reminders",
    "see_round_status": "see a reporting round's returns",
    "record_decisions": "record board decisions or change their state",
    "save_scenarios": "save what-if scenarios",
    "see_partner_fit": "see where a partner fits",
}

# Actions that a partner may take only for their own organisation.
PARTNER_SCOPED = frozenset({"import_activities", "rollback_activities", "see_round_status", "see_partner_fit"})

LOCAL_EMAIL = "local"
LOCAL_LABEL = "Local mode — no sign-in"

# The mode is chosen explicitly: STRATEGY_MODE=local|signin. Unset, it is local only when no secrets file exists at
# all; a secrets file means sign-in, and any problem with it refuses to start (never a quiet fall back to local).
# STRATEGY_AUTH (local|oidc) is the older name of the same setting and is still honoured; the two must agree.
MODE_ENVIRONMENT = "STRATEGY_MODE"
AUTH_ENVIRONMENT = "STRATEGY_AUTH"
MODES = ("local", "signin")
_OLDER_MODE_NAMES = {"local": "local", "oidc": "signin", "signin": "signin"}
SECRETS_FILE = Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.toml"
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class ModeProblem(Exception):
    """The dashboard cannot be sure how people sign in, so it refuses to start; the message says what to fix."""


class PermissionDenied(Exception):
    """The acting user's role does not allow the action; the message says why and what to ask for. user and action
    say who was refused what (for the audit log), when require() raised it."""

    user: object = None
    action: str | None = None


@dataclass(frozen=True)
class User:
    """Someone acting on the dashboard: their email (its key, strategy/names.py), role, partner organisation
    (partners only)."""

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
    try:
        return _require(user, action, partner)
    except PermissionDenied as refusal:
        refusal.user, refusal.action = user, action
        raise


def _require(user: User, action: str, partner: str | None) -> User:
    allowed = roles_allowed(action)
    if not isinstance(user, User):
        raise PermissionDenied(
            f"To {ACTION_WORDS[action]} the dashboard must know who is acting; "
            "sign in (or name yourself with --as EMAIL on the command line)."
        )
    if user.role not in allowed:
        who = who_may(action)
        wanted = next((r for r in allowed if r != "admin"), "admin")
        raise PermissionDenied(
            f"Only {who} can {ACTION_WORDS[action]}; you are signed in as "
            f"{ROLE_WORDS.get(user.role, user.role)}. Ask your administrator for the "
            f"{wanted} role."
        )
    if action in PARTNER_SCOPED and user.role == "partner":
        if not user.partner:
            raise PermissionDenied(
                f"Your partner account is not linked to an organisation, so you cannot "
                f"{ACTION_WORDS[action]}. Ask your administrator to link it."
            )
        if partner is None or not same_partner(partner, user.partner):
            raise PermissionDenied(
                f"You can {ACTION_WORDS[action]} only for your own organisation, "
                f"{user.partner}" + (f", not for {partner}." if partner else ".")
            )
    return user


def secrets_files() -> list[Path]:
    """Every file the server reads secrets from: Streamlit's `secrets.files` setting (its command-line flag,
    config.toml or STREAMLIT_SECRETS_FILES; by default ~/.streamlit/secrets.toml and .streamlit/secrets.toml where
    the server is started), plus the project's own .streamlit/secrets.toml. The server and the command line both
    use this list, so they agree on the mode."""
    try:
        from streamlit import config

        configured = [Path(name).expanduser() for name in config.get_option("secrets.files") or []]
    except ImportError:  # the core works without Streamlit: its default places
        configured = [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]
    # `streamlit run` reads STREAMLIT_SECRETS_FILES as its --secrets.files flag; other processes must read it here.
    from_environment = [Path(name).expanduser() for name in os.environ.get("STREAMLIT_SECRETS_FILES", "").split()]
    found: list[Path] = []
    for file in [*configured, *from_environment, SECRETS_FILE]:
        if file.absolute() not in [f.absolute() for f in found]:
            found.append(file)
    return found


def chosen_mode(environ: dict | None = None, files: list[Path] | None = None) -> str:
    """'local' or 'signin', from STRATEGY_MODE (or the older STRATEGY_AUTH); unset, 'signin' as soon as any secrets
    file exists. ModeProblem for an unknown value or two settings that disagree."""
    environ = os.environ if environ is None else environ
    wanted = (environ.get(MODE_ENVIRONMENT) or "").strip().lower()
    older = (environ.get(AUTH_ENVIRONMENT) or "").strip().lower()
    if wanted and wanted not in MODES:
        raise ModeProblem(
            f"{MODE_ENVIRONMENT}={environ.get(MODE_ENVIRONMENT)!r} is not a mode. Set "
            f"{MODE_ENVIRONMENT}=signin for a shared server (sign-in with the organisation's accounts) "
            f"or {MODE_ENVIRONMENT}=local for one person on this computer."
        )
    if older and older not in _OLDER_MODE_NAMES:
        raise ModeProblem(
            f"{AUTH_ENVIRONMENT}={environ.get(AUTH_ENVIRONMENT)!r} is not a mode. Remove it and set "
            f"{MODE_ENVIRONMENT}=signin or {MODE_ENVIRONMENT}=local."
        )
    if wanted and older and _OLDER_MODE_NAMES[older] != wanted:
        raise ModeProblem(
            f"{MODE_ENVIRONMENT}={wanted} and {AUTH_ENVIRONMENT}={older} disagree. Remove "
            f"{AUTH_ENVIRONMENT} and keep {MODE_ENVIRONMENT}."
        )
    if wanted or older:
        return wanted or _OLDER_MODE_NAMES[older]
    files = secrets_files() if files is None else files
    return "signin" if any(file.exists() for file in files) else "local"


def read_secrets(files: list[Path]) -> dict:
    """The secrets files that exist, read and merged in order (later files win, as in Streamlit). ModeProblem naming
    the file when one cannot be read or is not valid TOML."""
    merged: dict = {}
    for file in files:
        if not file.exists():
            continue
        if file.is_dir():
            raise ModeProblem(f"{file} is a folder; point Streamlit's secrets.files at a secrets.toml file.")
        try:
            content = tomllib.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise ModeProblem(
                f"The secrets file {file} cannot be read ({error.strerror or error}). Make it "
                "readable by the account that runs the dashboard."
            ) from error
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ModeProblem(
                f"The secrets file {file} is not valid TOML ({error}). Correct it (compare with "
                ".streamlit/secrets.toml.example)."
            ) from error
        merged.update(content)
    return merged


def providers(auth: dict) -> list[str | None]:
    """The providers under [auth]: None for one written directly under [auth], else each [auth.NAME] name."""
    named = [name for name, value in auth.items() if isinstance(value, dict)]
    return ([None] if "client_id" in auth else []) + named


def sign_in_problems(secrets: dict) -> list[str]:
    """What stops sign-in from working safely with these secrets, one sentence each (empty when all is well)."""
    auth = secrets.get("auth")
    if not isinstance(auth, dict):
        return [
            "The secrets have no [auth] section. Add one (copy .streamlit/secrets.toml.example), or set "
            f"{MODE_ENVIRONMENT}=local if this is one person's own computer."
        ]
    problems = []
    for key, what in (
        ("redirect_uri", "the dashboard's address followed by /oauth2callback"),
        ("cookie_secret", "a long random secret"),
    ):
        value = auth.get(key)
        if not isinstance(value, str) or not value.strip() or value.startswith("replace-with"):
            problems.append(f"[auth] {key} is missing; set it to {what}.")
    secret = auth.get("cookie_secret")
    if isinstance(secret, str) and secret.strip() and not secret.startswith("replace-with") and len(secret) < 32:
        problems.append(
            "[auth] cookie_secret is shorter than 32 characters; make a new one with "
            'python -c "import secrets; print(secrets.token_hex(32))".'
        )
    found = providers(auth)
    if not found:
        problems.append(
            "[auth] names no provider; add [auth.microsoft] (or another provider) with client_id, "
            "client_secret and server_metadata_url."
        )
    for provider in found:
        section = auth if provider is None else auth[provider]
        where = "[auth]" if provider is None else f"[auth.{provider}]"
        missing = [
            key
            for key in PROVIDER_KEYS
            if not isinstance(section.get(key), str)
            or not section[key].strip()
            or section[key].startswith("replace-with")
        ]
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}; copy them from the provider's app registration.")
    issuers = auth.get("trusted_issuers", [])
    if not isinstance(issuers, list) or not all(isinstance(issuer, str) and issuer.strip() for issuer in issuers):
        problems.append(
            "[auth] trusted_issuers must be a list of issuer addresses, e.g. "
            '["https://login.microsoftonline.com/YOUR-TENANT-ID/v2.0"].'
        )
    return problems


def refuse_unless_usable(secrets: dict) -> None:
    """ModeProblem listing every problem with the sign-in settings, if there is any."""
    problems = sign_in_problems(secrets)
    if problems:
        raise ModeProblem(
            "Sign-in is on but cannot work safely, so the dashboard will not start: " + " ".join(problems)
        )


def trusted_issuers(secrets: dict) -> frozenset[str]:
    """Issuers trusted to verify email addresses themselves (their tokens carry no email_verified claim)."""
    auth = secrets.get("auth") if isinstance(secrets.get("auth"), dict) else {}
    return frozenset(
        issuer.strip().rstrip("/") for issuer in auth.get("trusted_issuers", []) or [] if isinstance(issuer, str)
    )


def dashboard_mode(environ: dict | None = None, files: list[Path] | None = None) -> str:
    """'local' or 'signin' for the server and the command line; ModeProblem (never local) whenever in doubt: an
    unknown mode, or sign-in with a secrets file that is unreadable, invalid or incomplete."""
    files = secrets_files() if files is None else files
    mode = chosen_mode(environ, files)
    if mode == "signin":
        refuse_unless_usable(read_secrets(files))
    return mode


def sign_in_mode(files: list[Path] | None = None) -> bool:
    """Whether sign-in is on (ModeProblem when that cannot be decided safely)."""
    return dashboard_mode(files=files) == "signin"


def secrets_readable_by_others(files: list[Path] | None = None) -> list[Path]:
    """The secrets files that other accounts on this computer may read (they hold the sign-in cookie's key and the
    provider's client secret); each should be chmod 600."""
    exposed = []
    for file in secrets_files() if files is None else files:
        try:
            if file.is_file() and file.stat().st_mode & 0o077:
                exposed.append(file)
        except OSError:
            continue
    return exposed


def is_loopback(address: str | None) -> bool:
    """Whether a listening address reaches only this computer (unset or empty means every interface)."""
    if not address:
        return False
    address = address.strip().strip("[]").lower()
    return address in LOOPBACK_NAMES or address.startswith("127.")


def refuse_local_mode_on_network(mode: str, address: str | None) -> None:
    """Local mode makes everyone an admin, so it listens on this computer only; ModeProblem otherwise."""
    if mode == "local" and not is_loopback(address):
        where = f"address {address}" if address else "every network interface"
        raise ModeProblem(
            f"Local mode (no sign-in, everyone is an admin) would listen on {where}, so anyone on "
            "the network would be an admin. Start it with --server.address 127.0.0.1 (as make run "
            f"does), or turn sign-in on ({MODE_ENVIRONMENT}=signin and .streamlit/secrets.toml) for a "
            "shared server."
        )
