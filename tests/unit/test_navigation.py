"""Every page is in the navigation, and every navigation entry is a page (pages are listed by hand in ui.py),
each with an action the permission table knows."""

from strategy.access import PERMISSIONS
from strategy.ui import NAVIGATION
from tests.conftest import PROJECT_ROOT


def test_every_page_file_is_listed_in_the_navigation_and_every_entry_exists():
    listed = [path for path, _, _, _ in NAVIGATION]
    on_disk = ["app.py", *sorted(f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py"))]
    assert sorted(listed) == sorted(on_disk)
    assert len(set(label for _, label, _, _ in NAVIGATION)) == len(NAVIGATION)


def test_every_page_names_an_action_and_asks_for_it_itself():
    """The navigation hides; the page refuses. A page's own page_setup(action=...) must match its entry."""
    for path, _, _, action in NAVIGATION:
        assert action in PERMISSIONS, path
        text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
        asked = f'action="{action}"' in text
        assert asked or action == "read", f"{path} is listed for {action} but its page_setup does not ask for it"
