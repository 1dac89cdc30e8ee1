"""The accessibility statement and the privacy notice: linked from the foot of every page's sidebar, and holding
what the GOV.UK model statement and a privacy notice must say."""

from __future__ import annotations

FOOTER = {"Accessibility statement", "Privacy notice"}
# The GOV.UK model accessibility statement's sections, in its order.
STATEMENT_SECTIONS = [
    "Who this dashboard is for",
    "How accessible this dashboard is",
    "Feedback and contact",
    "Reporting accessibility problems",
    "Enforcement procedure",
    "Technical information",
    "Preparation of this accessibility statement",
]


def sidebar_links(app) -> list[str]:
    return [link.proto.label for link in app.sidebar.get("page_link")]


def test_the_page_list_does_not_repeat_them(open_page, app_demo_db):
    links = sidebar_links(open_page("pages/1_Alignment.py", app_demo_db))
    assert all(links.count(label) == 1 for label in FOOTER)


def test_the_statement_follows_the_model_and_says_honestly_how_it_is_tested(open_page, app_demo_db):
    app = open_page("pages/14_Accessibility.py", app_demo_db)
    text = " ".join(m.value for m in app.markdown)
    headings = [line.strip("# ") for line in text.splitlines() if line.startswith("### ")]
    positions = [next(i for i, h in enumerate(headings) if h.startswith(section)) for section in STATEMENT_SECTIONS]
    assert positions == sorted(positions)
    assert "WCAG" in text or "Web Content Accessibility Guidelines version 2.2" in text
    assert "axe-core" in text and "not** yet been tested by disabled people" in text
    assert "CHANGE-ME" in text  # the contact is the partnership's to fill in


def test_the_privacy_notice_names_each_kind_of_personal_data(open_page, app_demo_db):
    app = open_page("pages/15_Privacy.py", app_demo_db)
    text = " ".join(m.value for m in app.markdown)
    for held in ("email address", "audit log", "uploaded file exactly as received", "How long", "CHANGE-ME"):
        assert held in text, held
