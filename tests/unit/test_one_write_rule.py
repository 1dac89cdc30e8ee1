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
from strategy.learning import commitments, empathy, experiments, involvements, purposes
from strategy.loop import decisions, scenarios
from strategy.users import SignInRefused, add_user, identified_user
from tests.conftest import DEMO_TODAY

THREADS = 12
ROUNDS = 4  # how many of each kind of write (exports, refusals and decisions twice as many), spread over the threads
ISSUER = "https://accounts.example.org"
ANALYST = User("analyst@example.org", "analyst")
MANSFIELD, BOLSOVER = "E07000174", "E07000033"
LEARNING_TABLES = ("purpose_versions", "empathy_notes", "involvements", "experiments", "scenarios")


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


def test_learning_saves_check_then_write_from_many_threads_on_one_shared_connection(shared, framework):
    """Every learning save first checks what it names (the purpose, map, note, reflection, partner, scenario name);
    those checks read on a cursor of their own too, so many people saving at once through the server's one
    connection all succeed."""
    con = shared
    editor = User("editor@example.org", "analyst")
    partner = con.execute("SELECT name FROM partners ORDER BY partner_id LIMIT 1").fetchone()[0]
    # one purpose and one reflection per thread: two people saving the very same record at once is another matter
    own_purposes = [
        purposes.save_purpose(con, framework, editor, f"Walkers {n}", "Walk more", "Because", "Health").record_id
        for n in range(THREADS)
    ]
    reflections = [
        commitments.save_reflection(
            con,
            framework,
            editor,
            "Ann",
            "individual",
            "purpose",
            DEMO_TODAY,
            commitment=f"Call back {n}",
            owner="Ann",
            due_date=DEMO_TODAY,
        ).record_id
        for n in range(THREADS)
    ]
    area = empathy.save_map(con, framework, editor, "A resident", "person").record_id
    notes = [empathy.add_note(con, framework, editor, area, "see", f"Note {n}").record_id for n in range(THREADS)]
    assert None not in [*own_purposes, *reflections, area, *notes]
    before = {table: count(con, f"SELECT count(*) FROM {table}") for table in LEARNING_TABLES}

    jobs = [
        lambda n: (
            purposes.save_purpose(
                con, framework, editor, f"Group {n}", "What", "Why", "Gain", purpose_id=own_purposes[n]
            ).ok
        ),
        lambda n: empathy.add_note(con, framework, editor, area, "hear", f"Heard {n}").ok,
        lambda n: empathy.remove_note(con, editor, notes[n]).ok,
        lambda n: (
            involvements.add_involvement(con, framework, editor, "purpose", own_purposes[n], f"Member {n}", "ally").ok
        ),
        lambda n: commitments.mark_commitment_done(con, editor, reflections[n], DEMO_TODAY).ok,
        lambda n: (
            experiments.save_experiment(
                con,
                framework,
                editor,
                f"Try {n}",
                "If, then, because",
                partner,
                DEMO_TODAY,
                ["A1"],
                ["E07000174"],
                purpose_id=own_purposes[n],
            ).ok
        ),
        lambda n: bool(
            scenarios.save_scenario(con, framework, editor, f"Plan {n}", scenarios.Scenario("spread", 1000), Filters())
        ),
    ]
    start = threading.Barrier(THREADS)

    def in_thread(n: int) -> list:
        start.wait()
        outcomes = []
        for job in jobs:
            try:
                outcomes.append(job(n))
            except Exception as problem:  # noqa: BLE001 - every failure is counted and shown
                outcomes.append(problem)
        return outcomes

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = [outcome for share in pool.map(in_thread, range(THREADS)) for outcome in share]

    assert [o for o in outcomes if o is not True] == []
    after = {table: count(con, f"SELECT count(*) FROM {table}") for table in LEARNING_TABLES}
    assert after["purpose_versions"] - before["purpose_versions"] == THREADS  # a new version each
    assert after["empathy_notes"] - before["empathy_notes"] == 0  # as many added as removed
    assert after["involvements"] - before["involvements"] == THREADS
    assert after["experiments"] - before["experiments"] == THREADS
    assert after["scenarios"] - before["scenarios"] == THREADS
    kept = count(
        con,
        "SELECT count(*) FROM reflections WHERE done_on IS NOT NULL AND reflection_id IN (SELECT unnest(?))",
        [reflections],
    )
    assert kept == THREADS


def test_two_writes_to_the_same_row_at_once_keep_one_and_tell_the_other_plainly(shared):
    """DuckDB lets the first of two transactions changing one row commit and refuses the other; the refusal comes
    back as db.WriteConflict, saying what happened and what to do, with nothing of the second write kept."""
    con = shared
    row_id = count(con, "SELECT min(partner_id) FROM partners")
    before = count(con, "SELECT count(*) FROM audit_log")
    first = db.transaction(con)
    cursor = first.__enter__()
    cursor.execute("UPDATE partners SET sector = 'sport' WHERE partner_id = ?", [row_id])
    with pytest.raises(db.WriteConflict, match="at the same moment") as refused:
        with db.transaction(con) as other:
            other.execute("INSERT INTO audit_log (actor, action, detail) VALUES ('x', 'second', 'lost')")
            other.execute("UPDATE partners SET sector = 'leisure' WHERE partner_id = ?", [row_id])
    first.__exit__(None, None, None)
    assert "reload" in str(refused.value).lower()
    assert count(con, "SELECT sector FROM partners WHERE partner_id = ?", [row_id]) == "sport"
    assert count(con, "SELECT count(*) FROM audit_log") == before  # the second write's other row went too
