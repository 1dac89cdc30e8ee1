"""The people who may sign in and the partner organisations they act for: add, change, deactivate, list.

Every change needs the manage_users (or manage_partners) right and is written to the audit log in the same
transaction. Users are never deleted, only made inactive, so the audit log keeps its meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import duckdb
import pandas as pd

from strategy import db
from strategy.access import (
    LOCAL_EMAIL,
    LOCAL_USER,
    ROLES,
    PermissionDenied,
    User,
    normalised_email,
    require,
    sign_in_mode,
)
from strategy.names import name_key, tidy_name

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class UserProblem(ValueError):
    """A user or partner change that cannot be made as asked; the message says what to change."""


def find_user(con: duckdb.DuckDBPyConnection, email: str) -> User | None:
    """The active user with this email (any case), or None."""
    found = db.query(con, "user_by_email", email_key=normalised_email(email))
    if found.empty or not bool(found.active.iloc[0]):
        return None
    row = found.iloc[0]
    return User(email=row.email, role=row.role, partner=None if pd.isna(row.partner) else row.partner)


def signed_in_user(con: duckdb.DuckDBPyConnection, email: str) -> User:
    """The user for a signed-in email, or PermissionDenied (polite) when they are unknown or inactive."""
    user = find_user(con, email) if email else None
    if user is None:
        raise PermissionDenied(
            f"{normalised_email(email) or 'Your account'} is not yet a user of this dashboard. "
            "Ask your administrator to add you, with the role you need."
        )
    return user


def acting_user(con: duckdb.DuckDBPyConnection, email: str | None) -> User:
    """Who is acting when a request names an email (or none): with sign-in on, an active user by that email, else
    PermissionDenied; in local mode, naming nobody (or "local") is the local user."""
    key = normalised_email(email)
    if not sign_in_mode() and key in ("", LOCAL_EMAIL):
        return LOCAL_USER
    if not key:
        raise PermissionDenied("Sign-in is on, so say who is acting: add --as EMAIL (a user of the dashboard).")
    return signed_in_user(con, key)


class SignInRefused(PermissionDenied):
    """A sign-in that does not identify an active user; not_a_user: the account is fine, the email is not a user."""

    def __init__(self, message: str, not_a_user: bool = False):
        super().__init__(message)
        self.not_a_user = not_a_user


def email_verified(claims: Mapping, trusted_issuers: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether the provider vouches for the email address: the claim email_verified is true (a boolean, or the
    text "true" some providers send); or the claim is absent and the issuer is one the configuration trusts to
    verify addresses itself (Microsoft Entra ID sends no such claim). An explicit false is never accepted."""
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.strip().lower() == "true"):
        return True
    issuer = str(claims.get("iss") or "").strip().rstrip("/")
    return verified is None and bool(issuer) and issuer in {i.strip().rstrip("/") for i in trusted_issuers}


def identified_user(
    con: duckdb.DuckDBPyConnection,
    claims: Mapping,
    trusted_issuers: frozenset[str] | set[str] = frozenset(),
    record_refusal: bool = True,
) -> User:
    """The user a sign-in identifies, from the provider's claims (email, email_verified, iss, sub); otherwise
    SignInRefused (a PermissionDenied) saying why, written to the audit log ('sign in refused') unless
    record_refusal is False.

    Refused: no email; no issuer or subject; an email the provider has not verified (see email_verified); an email
    that is not an active user; or a provider account (issuer, subject) other than the one recorded at the user's
    first sign-in. The first sign-in records the account, in the same transaction as the check."""
    email = normalised_email(str(claims.get("email") or ""))
    issuer = str(claims.get("iss") or "").strip().rstrip("/")
    subject = str(claims.get("sub") or "").strip()
    not_a_user = False
    if not email:
        reason = "no email address in the sign-in"
        message = (
            "Your sign-in did not include an email address, so the dashboard cannot tell who you are. Ask "
            "your administrator which account to sign in with."
        )
    elif not issuer or not subject:
        reason = f"{email}: the sign-in named no issuer or subject"
        message = (
            "Your sign-in did not say which provider and account it came from, so it cannot be trusted. "
            "Ask your administrator to check the sign-in provider."
        )
    elif not email_verified(claims, trusted_issuers):
        reason = f"{email}: email not verified by {issuer}"
        message = (
            f"Your sign-in provider has not verified that {email} is yours. Verify the address with your "
            "provider (or sign in with your organisation's account), then sign in again."
        )
    else:
        found = db.query(con, "user_by_email", email_key=email)
        row = found.iloc[0] if len(found) else None
        if row is None or not bool(row.active):
            not_a_user = True
            reason = f"{email}: not an active user of this dashboard"
            message = (
                f"{email} is not yet a user of this dashboard. Ask your administrator to add you, with the "
                "role you need."
            )
        elif pd.isna(row.issuer) or pd.isna(row.subject):
            with db.transaction(con) as cursor:
                db.execute(cursor, "record_user_identity", email_key=email, issuer=issuer, subject=subject)
            return find_user(con, email)
        elif row.issuer == issuer and row.subject == subject:
            return User(email=row.email, role=row.role, partner=None if pd.isna(row.partner) else row.partner)
        else:
            reason = f"{email}: a different provider account ({issuer}, {subject}) from the one first used"
            message = (
                f"{email} first signed in here with a different account, so this one is refused. Sign in "
                "with the account you used before; if your account has changed, ask your administrator to "
                "add you again."
            )
    if record_refusal:
        from strategy.audit import record_refused_sign_in

        with db.transaction(con) as cursor:
            record_refused_sign_in(cursor, email, reason)
    raise SignInRefused(message, not_a_user)


def list_users(con: duckdb.DuckDBPyConnection, actor: User) -> pd.DataFrame:
    """Every user with role, partner and who last changed them (admins only)."""
    require(actor, "manage_users")
    return db.query(con, "user_list")


def list_partners(con: duckdb.DuckDBPyConnection, actor: User) -> pd.DataFrame:
    require(actor, "manage_partners")
    return db.query(con, "partner_list")


def _checked(con: duckdb.DuckDBPyConnection, email: str, role: str, partner: str | None) -> tuple[str, int | None]:
    """(normalised email, partner_id), or UserProblem saying what is wrong."""
    email = normalised_email(email)
    if email == LOCAL_EMAIL or not EMAIL.fullmatch(email):
        raise UserProblem(f"{email!r} is not an email address; write it as name@organisation.org.uk.")
    if email != email.lower():  # a few scripts' case folding is upper case (Cherokee); the table stores lower case
        raise UserProblem(
            f"{email!r} holds letters the user table cannot store in lower case; write the address "
            "in Latin letters as the mail system also accepts it."
        )
    if role not in ROLES:
        raise UserProblem(f"{role!r} is not a role; use one of {', '.join(ROLES)}.")
    if role == "partner" and not (partner or "").strip():
        raise UserProblem("A partner user must belong to a partner organisation; give its name (--partner NAME).")
    if role != "partner" and partner:
        raise UserProblem(
            f"Only partner users belong to an organisation; a {role} acts for the whole partnership. "
            "Leave the partner out."
        )
    if role != "partner":
        return email, None
    found = db.query(con, "partner_by_name", partner_key=name_key(partner))
    if found.empty:
        raise UserProblem(
            f"There is no partner organisation called {partner!r}. Add it first (Admin page, "
            "Partners), or check the spelling against the partner list."
        )
    return email, int(found.partner_id.iloc[0])


def add_user(con: duckdb.DuckDBPyConnection, actor: User, email: str, role: str, partner: str | None = None) -> User:
    """Add a user (or make an inactive one active again with the new role); the user as they now are."""
    require(actor, "manage_users")
    email, partner_id = _checked(con, email, role, partner)
    existing = db.query(con, "user_by_email", email_key=email)
    if len(existing) and bool(existing.active.iloc[0]):
        raise UserProblem(f"{email} is already a user ({existing.role.iloc[0]}); change their role instead.")
    with db.transaction(con) as cursor:
        if len(existing):
            db.execute(
                cursor, "update_user", email_key=email, role=role, partner_id=partner_id, active=True, actor=actor.email
            )
            db.execute(cursor, "clear_user_identity", email_key=email)  # the next sign-in records the account afresh
        else:
            db.execute(
                cursor, "insert_user", email=email, email_key=email, role=role, partner_id=partner_id, actor=actor.email
            )
        db.audit(cursor, actor, "add user", f"{email} as {role}" + (f" for {partner}" if partner else ""))
    return find_user(con, email)


def change_user(con: duckdb.DuckDBPyConnection, actor: User, email: str, role: str, partner: str | None = None) -> User:
    """Give an active user a new role (and partner organisation); the user as they now are."""
    require(actor, "manage_users")
    email, partner_id = _checked(con, email, role, partner)
    before = find_user(con, email)
    if before is None:
        raise UserProblem(f"{email} is not an active user; add them instead.")
    _keep_an_admin(con, before, role)
    with db.transaction(con) as cursor:
        db.execute(
            cursor, "update_user", email_key=email, role=role, partner_id=partner_id, active=True, actor=actor.email
        )
        db.audit(
            cursor,
            actor,
            "change user",
            f"{email}: {before.role}"
            + (f" for {before.partner}" if before.partner else "")
            + f" -> {role}"
            + (f" for {partner}" if partner else ""),
        )
    return find_user(con, email)


def deactivate_user(con: duckdb.DuckDBPyConnection, actor: User, email: str) -> None:
    """Stop a user signing in (their history stays in the audit log)."""
    require(actor, "manage_users")
    before = find_user(con, email)
    if before is None:
        raise UserProblem(f"{normalised_email(email)} is not an active user.")
    if before.email == actor.email:
        raise UserProblem("You cannot deactivate yourself; ask another admin.")
    _keep_an_admin(con, before, None)
    partner_id = None
    if before.partner:
        partner_id = int(db.query(con, "partner_by_name", partner_key=name_key(before.partner)).partner_id.iloc[0])
    with db.transaction(con) as cursor:
        db.execute(
            cursor,
            "update_user",
            email_key=normalised_email(before.email),
            role=before.role,
            partner_id=partner_id,
            active=False,
            actor=actor.email,
        )
        db.audit(cursor, actor, "deactivate user", f"{before.email} ({before.role})")


def _keep_an_admin(con: duckdb.DuckDBPyConnection, before: User, new_role: str | None) -> None:
    """Refuse to remove the last active admin: nobody could manage users afterwards."""
    if before.role != "admin" or new_role == "admin":
        return
    admins = db.query(con, "user_list")
    if int(((admins.role == "admin") & admins.active).sum()) <= 1:
        raise UserProblem(f"{before.email} is the only admin; make someone else an admin first.")


def has_active_admin(con: duckdb.DuckDBPyConnection) -> bool:
    users = db.query(con, "user_list")
    return bool(((users.role == "admin") & users.active).any())


def add_partner(con: duckdb.DuckDBPyConnection, actor: User, name: str, sector: str | None = None) -> str:
    """Add a partner organisation by name (so partner users can be linked to it); its name."""
    require(actor, "manage_partners")
    name = tidy_name(name)
    if not name_key(name):
        raise UserProblem("Give the partner organisation's name.")
    # One writer at a time (uploads also add partners), so the check and the insert see the same partners.
    if not db.WRITE_LOCK.acquire(timeout=db.BUSY_WAIT_SECONDS):
        raise UserProblem("Another change is being saved just now; try again in a minute.")
    try:
        with db.transaction(con) as cursor:
            existing = db.execute(cursor, "partner_by_name", partner_key=name_key(name))  # (id, name, sector)
            if existing:  # the same key is the same organisation, however it is spelt
                raise UserProblem(
                    f"{existing[0][1]!r} is already a partner organisation"
                    + ("." if existing[0][1] == name else f" (the same name as {name!r}).")
                )
            db.execute(cursor, "insert_partner", partner_name=name, partner_key=name_key(name), sector=sector)
            db.audit(cursor, actor, "add partner", name + (f" ({sector})" if sector else ""))
    finally:
        db.WRITE_LOCK.release()
    return name
