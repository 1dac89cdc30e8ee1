"""One write rule: every write opens its own cursor through db.transaction, so many threads can write through the
server's one shared connection at once (sign-ins, exports, audit entries, decisions, indicator imports).

The expected rows are counted here from what the threads were asked to do, not taken from the code."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from strategy import audit, db, exports
from strategy.access import LOCAL_USER, User
from strategy.filters import Filters
from strategy.indicators.importer import import_indicator_file
from strategy.loop import decisions
from strategy.users import SignInRefused, add_user, identified_user
from tests.conftest import DEMO_TODAY

THREADS = 12
ROUNDS = 4  # how many of each kind of write (exports, refusals and decisions twice as many), spread over the threads
ISSUER = "https://accounts.example.org"
ANALYST = User("analyst@example.org", "analyst")
MANSFIELD, BOLSOVER = "E07000174", "E07000033"


@pytest.fixture
def shared(demo_db_copy):
    """One connection for every thread, as the server has."""
    con = db.connect(demo_db_copy)
    db.migrate(con)
    yield con
    con.close()


def indicator_file(number: int) -> tuple[bytes, int]:
    """A small indicator file of its own (so no two are duplicates); its bytes and how many values it holds."""
    rows = [
        f"93014,{place},20{10 + number:02d}/{11 + number:02d},{50 + number}.{index},,,,"
        for index, place in enumerate((MANSFIELD, BOLSOVER))
    ]
    text = "indicator_id,place_code,period,value,lower_ci,upper_ci,count,denominator\n" + "\n".join(rows) + "\n"
    return text.encode(), len(rows)


def count(con, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchone()[0]


def audit_count(con, action: str) -> int:
    return count(con, "SELECT count(*) FROM audit_log WHERE action = ?", [action])


def tallies(con) -> dict[str, int]:
    """The rows each kind of write adds, counted straight from the tables."""
    found = {
        action: audit_count(con, action)
        for action in (
            audit.SIGN_IN,
            audit.SIGN_IN_REFUSED,
            audit.REFUSED,
            "export",
            "export audit log",
            "decision recorded",
            "import indicators",
        )
    }
    found["decisions"] = count(con, "SELECT count(*) FROM decisions")
    found["indicator uploads"] = count(con, "SELECT count(*) FROM uploads WHERE kind = 'indicators'")
    found["imported values"] = count(con, "SELECT count(*) FROM indicator_values WHERE upload_id IS NOT NULL")
    found["identities"] = count(con, "SELECT count(*) FROM users WHERE subject IS NOT NULL")
    return found


def test_many_threads_write_through_one_shared_connection_and_every_write_is_kept(shared, framework):
    con = shared
    people = [f"person{n}@example.org" for n in range(THREADS)]
    for email in people:
        add_user(con, LOCAL_USER, email, "analyst")
    files = [indicator_file(n) for n in range(ROUNDS)]

    before = tallies(con)

    def first_sign_in(n: int):
        claims = {"email": people[n], "email_verified": True, "iss": ISSUER, "sub": f"subject-{n}"}
        user = identified_user(con, claims)  # records the account (issuer, subject) in its own transaction
        assert audit.log_sign_in(con, user, 1_700_000_000 + n)  # what the sign-in page writes
        return user.email

    def refused_sign_in(n: int):
        claims = {"email": f"stranger{n}@example.org", "email_verified": True, "iss": ISSUER, "sub": f"s{n}"}
        try:
            identified_user(con, claims)
        except SignInRefused:
            return "refused"
        return "let in"

    def export(n: int):
        return len(exports.activities_export(con, framework, Filters(), ANALYST))

    def refusal(n: int):
        audit.record_refusal(con, User(f"viewer{n}@example.org", "viewer"), "export", f"try {n}")

    def audit_log_export(n: int):
        return len(audit.audit_export(con, LOCAL_USER, "csv"))

    def decision(n: int):
        return decisions.record_decision(
            con, framework, ANALYST, f"Decision {n}", "The board", Filters(), today=DEMO_TODAY
        ).decision_id

    def indicator_import(n: int):
        data, _ = files[n]
        return import_indicator_file(con, framework, data, f"indicators-{n}.csv", actor=ANALYST).status

    jobs = (
        [(first_sign_in, n) for n in range(THREADS)]
        + [(refused_sign_in, n) for n in range(ROUNDS)]
        + [(export, n) for n in range(ROUNDS * 2)]
        + [(refusal, n) for n in range(ROUNDS * 2)]
        + [(audit_log_export, n) for n in range(ROUNDS)]
        + [(decision, n) for n in range(ROUNDS * 2)]
        + [(indicator_import, n) for n in range(ROUNDS)]
    )
    start = threading.Barrier(THREADS)

    def run(job):
        kind, n = job
        return kind.__name__, kind(n)

    def in_thread(share):
        start.wait()  # every thread begins together
        outcomes = []
        for job in share:
            try:
                outcomes.append(run(job))
            except Exception as problem:  # noqa: BLE001 - every failure is counted and shown
                outcomes.append((job[0].__name__, problem))
        return outcomes

    shares = [jobs[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = [outcome for share in pool.map(in_thread, shares) for outcome in share]

    failed = [(kind, repr(result)) for kind, result in outcomes if isinstance(result, Exception)]
    assert not failed, f"{len(failed)} of {len(jobs)} writes failed: {failed[:5]}"
    results = {}
    for kind, result in outcomes:
        results.setdefault(kind, []).append(result)
    assert sorted(results["first_sign_in"]) == sorted(people)
    assert results["refused_sign_in"] == ["refused"] * ROUNDS
    assert results["indicator_import"] == ["loaded"] * ROUNDS
    assert len(set(results["decision"])) == ROUNDS * 2

    expected = dict(before)
    expected["sign in"] += THREADS
    expected["identities"] += THREADS
    expected["sign in refused"] += ROUNDS
    expected["refused"] += ROUNDS * 2
    expected["export"] += ROUNDS * 2
    expected["export audit log"] += ROUNDS
    expected["decision recorded"] += ROUNDS * 2
    expected["decisions"] += ROUNDS * 2
    expected["import indicators"] += ROUNDS
    expected["indicator uploads"] += ROUNDS
    expected["imported values"] += sum(values for _, values in files)

    assert tallies(con) == expected
