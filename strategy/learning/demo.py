"""A small, fictional learning workspace for the demo: two purposes, an empathy map, three experiments, commitments.

Dates are relative to the demo's 'today' so the story reads the same whenever it is built: one experiment
under review, one running, one closed with a decision; one commitment past its date. The places and aims the story
is about come from the framework's [demo.learning] table (and the gap place from [demo.gap]), so every strategy's
demo tells it about its own places.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from strategy import db
from strategy.access import User
from strategy.framework import Framework, FrameworkError
from strategy.learning import commitments, empathy, experiments, involvements, purposes

ACTOR = User("demo generator", "admin")  # the demo writes as a system user with every right
LEARNING_TABLES = (
    "involvements",
    "empathy_notes",
    "empathy_maps",
    "reflections",
    "experiments",
    "purpose_versions",
    "purposes",
)


def _partner(con: duckdb.DuckDBPyConnection, preferred: str, sector: str) -> str:
    """A demo partner's name: the preferred one when the demo has it, else the first partner of that sector."""
    found = con.execute("SELECT name FROM partners WHERE name = ?", [preferred]).fetchall()
    if found:
        return found[0][0]
    found = con.execute("SELECT name FROM partners WHERE sector = ? ORDER BY partner_id LIMIT 1", [sector]).fetchall()
    if found:
        return found[0][0]
    return con.execute("SELECT name FROM partners ORDER BY partner_id LIMIT 1").fetchall()[0][0]


def _checked(result):
    if not result.ok:
        raise RuntimeError("demo learning record refused: " + "; ".join(result.problems))
    return result.record_id


def _story(framework: Framework) -> dict:
    """The places (code, name) and codes the story uses: [demo.learning] and [demo.gap], else the framework's
    first places, aims and ways. A name the framework does not know raises FrameworkError."""
    raw = {**framework.demo.get("learning", {})}
    gap = framework.demo.get("gap", {})
    local = framework.local_places()
    aims, ways = [a.code for a in framework.aims], [w.code for w in framework.ways]
    defaults = {
        "focus_place": local[0].code,
        "second_place": local[1 % len(local)].code,
        "gap_place": gap.get("place", local[2 % len(local)].code),
        "city": local[-1].code,
        "inequality_aim": aims[2 % len(aims)],
        "health_aim": aims[3 % len(aims)],
        "children_aim": gap.get("aim", aims[1 % len(aims)]),
        "culture_aim": aims[0],
        "insight_way": ways[0],
        "collaboration_way": ways[1 % len(ways)],
        "learning_way": ways[-1],
    }
    story = {}
    for key, default in defaults.items():
        value = raw.get(key, default)
        if key.endswith(("place", "city")):
            found = framework.resolve_places(str(value))
            if not found or len(found) != 1:
                raise FrameworkError(
                    f"{framework.source} [demo.learning] {key} = {value!r} is not one local place of the framework."
                )
            story[key] = found[0]
            story[key + "_name"] = framework.place(found[0]).name
        else:
            kind = "aim" if key.endswith("aim") else "way"
            if value not in {i.code for i in framework.items(kind)}:
                raise FrameworkError(
                    f"{framework.source} [demo.learning] {key} = {value!r} is not one of the framework's {kind} codes."
                )
            story[key] = value
    story["gap_from"] = str(gap.get("from", "2025"))[:4]
    return story


def load_learning_demo(con: duckdb.DuckDBPyConnection, framework: Framework, today: date | None = None) -> int:
    """Replace the learning workspace with the demo's; how many experiments were registered."""
    today = today or date.today()
    day = lambda n: today - timedelta(days=n)  # noqa: E731  (n days ago)
    story = _story(framework)
    mansfield, bassetlaw, bolsover, nottingham = (
        story[k] for k in ("focus_place", "second_place", "gap_place", "city")
    )
    focus, second, gap_name, city = (story[k + "_name"] for k in ("focus_place", "second_place", "gap_place", "city"))
    inequality, health_aim, children, culture = (
        story[k] for k in ("inequality_aim", "health_aim", "children_aim", "culture_aim")
    )
    insight, together, learning = story["insight_way"], story["collaboration_way"], story["learning_way"]
    with db.transaction(con) as cursor:
        for table in LEARNING_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # fixed names, no user input
    counties = framework.counties()
    first_county = counties[0].name if counties else focus
    last_county = counties[-1].name if counties else second
    carers = _partner(con, f"{second} Carers' Forum", "voluntary_community")
    leisure = _partner(con, f"{focus} Leisure Trust", "leisure")
    youth = _partner(con, f"{focus} Youth Service", "young_people_education")
    health = _partner(con, f"{city} Social Prescribing Service", "health_care")
    public_health = _partner(con, f"{last_county} Public Health Team", "wellbeing")
    schools = _partner(con, f"{first_county} School Sport Partnership", "young_people_education")
    sport = _partner(con, "Ashfield Football Development Trust", "sport")

    common = dict(con=con, framework=framework, actor=ACTOR, is_demo=True)
    carers_purpose = _checked(
        purposes.save_purpose(
            **common,
            group_name="Carers' health group (demo)",
            members="Carers' forum, leisure trust, social prescribers, two carers",
            places=[mansfield, bassetlaw],
            aims=[inequality, health_aim],
            what_text="Get carers recognised and helped to stay active.",
            why_text="Carers' own health suffers.",
            benefits_text="Healthier carers.",
        )
    )
    _checked(
        purposes.save_purpose(
            **common,
            purpose_id=carers_purpose,
            group_name="Carers' health group (demo)",
            members="Carers' forum, leisure trust, social prescribers, two carers",
            places=[mansfield, bassetlaw],
            aims=[inequality, health_aim],
            what_text="We want carers to be recognised by every service they meet, and to have easy, affordable "
            "ways to be active that fit around caring.",
            why_text="Caring takes a heavy toll on carers' physical and mental health, and most carers tell us they "
            "put their own health last.",
            benefits_text="Carers and the people they care for live healthier lives, feel less alone, and need acute "
            "care less often.",
        )
    )
    con.execute(
        "UPDATE purpose_versions SET written_at = ? WHERE purpose_id = ? AND version = 1", [day(300), carers_purpose]
    )
    con.execute(
        "UPDATE purpose_versions SET written_at = ? WHERE purpose_id = ? AND version = 2", [day(120), carers_purpose]
    )
    children_purpose = _checked(
        purposes.save_purpose(
            **common,
            group_name=f"{gap_name} children's activity network (demo)",
            members="Schools, youth service, clubs",
            places=[bolsover],
            aims=[children],
            what_text=f"Bring back regular, fun activity for children in {gap_name} outside school hours.",
            why_text=f"Nothing for children and young people has run in {gap_name} since {story['gap_from']}, and "
            "families have noticed.",
            benefits_text="Children who enjoy moving, parents who know where to go, and clubs that are full.",
        )
    )
    for name, role, sector in (
        (carers, "involved", None),
        (leisure, "ally", None),
        (health, "involved", None),
        ("Adult social care commissioners", "influence", "health_care"),
        ("GP practice managers", "in_the_room", "health_care"),
    ):
        _checked(involvements.add_involvement(con, framework, ACTOR, "purpose", carers_purpose, name, role, sector))
    for name, role in ((schools, "involved"), (sport, "ally"), (youth, "in_the_room")):
        _checked(involvements.add_involvement(con, framework, ACTOR, "purpose", children_purpose, name, role))

    young_carers = _checked(
        empathy.save_map(
            **common,
            subject=f"Young carers in {focus} (demo)",
            subject_kind="group",
            purpose_id=carers_purpose,
            description="Children and teenagers who look after a parent or sibling.",
            places=[mansfield],
            aims=[children, inequality],
        )
    )
    notes = [
        (
            "see",
            "Leisure centre timetables that clash with school pick-up and medicine times.",
            "Workshop, March",
            False,
        ),
        (
            "hear",
            "Most information comes from school staff and other young carers, not from services.",
            "Young carers' forum",
            False,
        ),
        (
            "think_feel",
            "I can't do after-school clubs, I have to get home for my mum.",
            f"Young carer, 13, {focus}",
            True,
        ),
        ("think_feel", "Worry about what happens at home while they are out.", "Insight report 2024", False),
        (
            "do_expect",
            "If it's not free and I can't bring my little brother, I can't come.",
            f"Young carer, 15, {focus}",
            True,
        ),
    ]
    for quadrant, text, source, is_quote in notes:
        _checked(
            empathy.add_note(
                con,
                framework,
                ACTOR,
                young_carers,
                quadrant,
                text,
                source,
                is_quote,
                [children, inequality] if is_quote else [],
                [mansfield] if is_quote else [],
            )
        )

    registered = [
        dict(
            title="Free swim and walk pass for carers (demo)",
            lead_partner=carers,
            purpose_id=carers_purpose,
            hypothesis="If carers get a free pass that works at any time, more of them will be active each week, "
            "because cost and fixed session times are what stop them.",
            aims=[inequality, health_aim],
            ways=[together, learning],
            places=[mansfield, bassetlaw],
            start_date=day(420),
            review_date=day(30),
            indicators=["93015"],
            status="reviewing",
            working_signals="Passes used at least weekly by half of holders.",
            failing_signals="Fewer than 1 in 5 passes used after two months.",
            involved=[(leisure, "involved"), (public_health, "ally")],
        ),
        dict(
            title="Young carers' Saturday club (demo)",
            lead_partner=youth,
            purpose_id=carers_purpose,
            hypothesis="If young carers can bring a sibling to a Saturday club, they will come regularly.",
            aims=[children, inequality],
            ways=[insight, together],
            places=[mansfield],
            start_date=day(160),
            review_date=day(-60),
            indicators=["93570"],
            status="running",
            working_signals="Ten regulars by the third month.",
            failing_signals="Nobody comes back a second time.",
            involved=[(carers, "involved"), (sport, "ally")],
        ),
        dict(
            title="Walking meetings for health staff (demo)",
            lead_partner=health,
            purpose_id=None,
            hypothesis="If team meetings become walking meetings once a week, staff will move more at work.",
            aims=[culture, health_aim],
            ways=[learning],
            places=[nottingham],
            start_date=day(760),
            review_date=day(520),
            indicators=["93014"],
            status="closed",
            decision="adapt",
            learned="Popular in summer, dropped in winter; adapt to indoor standing meetings from November.",
            involved=[(public_health, "ally")],
        ),
    ]
    for spec in registered:
        people = spec.pop("involved")
        experiment_id = _checked(experiments.save_experiment(**common, **spec))
        for name, role in people:
            _checked(involvements.add_involvement(con, framework, ACTOR, "experiment", experiment_id, name, role))

    reflections = [
        dict(
            author="Carers' health group (demo)",
            kind="group",
            heading="purpose",
            reflected_on=day(120),
            resonated="Starting from purpose, not from the funding pot.",
            learned="Carers describe themselves as parents, daughters, husbands — rarely as 'carers'.",
            commitment="Ask every partner to add 'do you look after someone?' to their sign-up form.",
            owner=carers,
            due_date=day(20),
            aims=[inequality],
            places=[mansfield, bassetlaw],
            purpose_id=carers_purpose,
        ),
        dict(
            author="Sam (leisure trust)",
            kind="individual",
            heading="empathy",
            reflected_on=day(90),
            resonated="The young carers' quotes.",
            learned="Our timetable is built around our staff, not our users.",
            commitment="Try one session at 10am on a Saturday with a free sibling place.",
            owner=leisure,
            due_date=day(40),
            aims=[children, inequality],
            places=[mansfield],
            purpose_id=carers_purpose,
        ),
        dict(
            author=f"{gap_name} children's activity network (demo)",
            kind="group",
            heading="practical",
            reflected_on=day(25),
            resonated="Who else needs to be in the room: the youth service.",
            commitment="Invite the youth service lead to the next network meeting.",
            owner=schools,
            due_date=day(-30),
            aims=[children],
            places=[bolsover],
            purpose_id=children_purpose,
        ),
        dict(
            author="Partnership learning session",
            kind="group",
            heading="experiment",
            reflected_on=day(515),
            learned="Safe-to-fail meant we stopped asking 'did it work?' and asked 'what did it teach us?'.",
            aims=[culture, health_aim],
            places=[nottingham],
        ),
    ]
    for spec in reflections:
        _checked(commitments.save_reflection(**common, **spec))
    kept = con.execute("SELECT reflection_id FROM reflections WHERE owner = ?", [leisure]).fetchall()
    for (reflection_id,) in kept:
        _checked(commitments.mark_commitment_done(con, ACTOR, reflection_id, day(35)))
    return len(registered)
