"""Sign-in with Streamlit's st.login (OpenID Connect), and who is acting in this session."""

from __future__ import annotations

import os

import duckdb
import streamlit as st

from strategy import access, db
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.audit import record_refused_sign_in, record_sign_in
from strategy.ui.data import connection, database_file
from strategy.ui.text import plain


# --- Sign-in (Streamlit's st.login with an OpenID Connect provider) ---------------------------------------------

def sign_in_active() -> bool:
    """Sign-in mode: STRATEGY_AUTH=oidc, or an [auth] section in Streamlit's secrets (STRATEGY_AUTH=local forces
    local mode)."""
    chosen = os.environ.get(access.AUTH_ENVIRONMENT, "").strip().lower()
    if chosen == "local":
        return False
    if access.sign_in_mode():
        return True
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: local mode
        return False


def _providers() -> list[str | None]:
    """The providers configured under [auth]: None for the default one, else each [auth.NAME] section."""
    try:
        section = st.secrets["auth"]
    except Exception:
        return [None]
    named = [name for name, value in section.items() if hasattr(value, "keys")]
    return ([None] if "client_id" in section else []) + named or [None]


PROVIDER_NAMES = {"microsoft": "Microsoft (council and NHS accounts)", "google": "Google"}


def signed_in_user(con: duckdb.DuckDBPyConnection) -> User:
    """The signed-in person as a user of the dashboard; otherwise a sign-in screen or a polite refusal (stops).

    Looked up on every run, never cached: a changed role or a deactivation takes effect at once."""
    from strategy.users import signed_in_user as known_user

    if not st.user.is_logged_in:
        st.title("Making our Move alignment dashboard")
        st.markdown("Sign in with your organisation's account to see the dashboard.")
        for provider in _providers():
            label = "Sign in" if provider is None else f"Sign in with {PROVIDER_NAMES.get(provider, provider)}"
            if st.button(label, type="primary", icon=":material/login:", key=f"sign_in_{provider or 'default'}"):
                st.login(provider) if provider else st.login()
        st.stop()
    email = st.user.get("email") or ""
    try:
        user = known_user(con, email)
    except PermissionDenied as refusal:
        if st.session_state.get("refused_sign_in") != email:
            with db.transaction(con):
                record_refused_sign_in(con, email)
            st.session_state["refused_sign_in"] = email
        st.title("You are signed in, but not yet a user here")
        st.info(f"{plain(refusal)}\n\nThe dashboard is open to the partners, board members and analysts of Making our "
                "Move. Your administrator can add you in a minute.", icon=":material/mail:")
        if st.button("Sign out", icon=":material/logout:", key="sign_out_unknown"):
            st.logout()
        st.stop()
    if st.session_state.get("signed_in_as") != user.email:
        with db.transaction(con):
            record_sign_in(con, user, st.user.get("iat"))
        st.session_state["signed_in_as"] = user.email
    return user


def acting_user() -> User:
    """Who is making a change on this page: the signed-in user (as found by page_setup), else the local user."""
    if not sign_in_active():
        return LOCAL_USER
    from strategy.users import signed_in_user as known_user

    return known_user(connection(database_file()), st.user.get("email") or "")
