"""Sign-in with Streamlit's st.login (OpenID Connect), and who is acting in this session."""

from __future__ import annotations

import logging

import duckdb
import streamlit as st

from strategy import access, db
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.audit import log_sign_in
from strategy.framework import load_framework
from strategy.ui.data import connection, database_file
from strategy.ui.text import plain

# --- Sign-in (Streamlit's st.login with an OpenID Connect provider) ---------------------------------------------

LOG = logging.getLogger("strategy.signin")

REFUSAL_TITLE = "The dashboard is not available"
REFUSAL_TEXT = (
    "Its settings (how people sign in, or where it listens) need the administrator's attention, so it "
    "shows nothing rather than opening without sign-in. Administrator: the reason is in the server's "
    "log; see docs/sign-in-and-roles.md."
)


def dashboard_mode() -> str:
    """'local' or 'signin' for this server (access.chosen_mode). Whenever that is in doubt (an unknown
    STRATEGY_MODE, secrets that cannot be read or lack what sign-in needs, local mode reachable from the network)
    the page shows a plain refusal and stops: it never falls back to local mode."""
    try:
        mode = access.chosen_mode()
        if mode == "signin":
            access.refuse_unless_usable(_secrets())
        else:
            access.refuse_local_mode_on_network(mode, st.get_option("server.address"))
    except access.ModeProblem as problem:
        LOG.error("Refusing to serve the dashboard: %s", problem)
        st.title(REFUSAL_TITLE)
        st.error(REFUSAL_TEXT, icon=":material/lock:")
        st.stop()
    return mode


def _secrets() -> dict:
    """Streamlit's secrets as a plain dict ({} when there are none); ModeProblem when they cannot be read."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}
    except Exception as error:  # a damaged secrets file: never a reason to run without sign-in
        raise access.ModeProblem(f"The secrets could not be read: {error}") from error


def sign_in_active() -> bool:
    """Whether this server runs with sign-in (the page stops with a refusal when that is in doubt)."""
    return dashboard_mode() == "signin"


def _providers() -> list[str | None]:
    """The providers configured under [auth]: None for the default one, else each [auth.NAME] section."""
    return access.providers(_secrets().get("auth") or {}) or [None]


PROVIDER_NAMES = {"microsoft": "Microsoft (council and NHS accounts)", "google": "Google"}


def signed_in_user(con: duckdb.DuckDBPyConnection) -> User:
    """The signed-in person as a user of the dashboard; otherwise a sign-in screen or a polite refusal (stops).

    Looked up on every run, never cached: a changed role or a deactivation takes effect at once."""
    from strategy.users import identified_user

    if not st.user.is_logged_in:
        st.title(f"{load_framework().name} alignment dashboard")
        st.markdown("Sign in with your organisation's account to see the dashboard.")
        for provider in _providers():
            label = "Sign in" if provider is None else f"Sign in with {PROVIDER_NAMES.get(provider, provider)}"
            if st.button(label, type="primary", icon=":material/login:", key=f"sign_in_{provider or 'default'}"):
                st.login(provider) if provider else st.login()
        from strategy.ui.navigation import footer_links

        footer_links()  # the accessibility statement and privacy notice are open before sign-in too
        st.stop()
    claims = st.user.to_dict()
    email = claims.get("email") or ""
    attempt = (email, claims.get("iss"), claims.get("sub"), claims.get("iat"))
    try:
        user = identified_user(
            con,
            claims,
            access.trusted_issuers(_secrets()),
            record_refusal=st.session_state.get("refused_sign_in") != attempt,
        )
    except PermissionDenied as refusal:
        st.session_state["refused_sign_in"] = attempt  # logged once per attempt, not on every page run
        st.title(
            "You are signed in, but not yet a user here"
            if getattr(refusal, "not_a_user", False)
            else "You are signed in, but this sign-in is refused"
        )
        st.info(
            f"{plain(refusal)}\n\nThe dashboard is open to the partners, board members and analysts of Making our "
            "Move. Your administrator can add you in a minute.",
            icon=":material/mail:",
        )
        if st.button("Sign out", icon=":material/logout:", key="sign_out_unknown"):
            st.logout()
        st.stop()
    if st.session_state.get("signed_in_as") != user.email:
        log_sign_in(con, user, st.user.get("iat"))
        st.session_state["signed_in_as"] = user.email
    return user


def acting_user() -> User:
    """Who is making a change on this page: the signed-in user (as found by page_setup), else the local user."""
    if not sign_in_active():
        return LOCAL_USER
    from strategy.users import identified_user

    return identified_user(
        connection(database_file()), st.user.to_dict(), access.trusted_issuers(_secrets()), record_refusal=False
    )


def log_refusal(refusal: PermissionDenied, where: str) -> None:
    """Write a refusal by role (a form's write, an upload for another organisation) to the audit log, once per
    refusal in this session rather than on every page run."""
    from strategy.audit import record_refusal

    if not isinstance(refusal.user, User) or not refusal.action:
        return
    key = (refusal.user.email, refusal.action, where, str(refusal))
    if st.session_state.get("_logged_refusal") == key:
        return
    try:
        record_refusal(connection(database_file()), refusal.user, refusal.action, where)
    except db.DatabaseUnavailable:
        return
    st.session_state["_logged_refusal"] = key
