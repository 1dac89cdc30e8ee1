"""Every page is in the navigation, and every navigation entry is a page (pages are listed by hand in ui.py)."""

from strategy.ui import NAVIGATION
from tests.conftest import PROJECT_ROOT


def test_every_page_file_is_listed_in_the_navigation_and_every_entry_exists():
    listed = [path for path, _, _ in NAVIGATION]
    on_disk = ["app.py", *sorted(f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py"))]
    assert sorted(listed) == sorted(on_disk)
    assert len(set(label for _, label, _ in NAVIGATION)) == len(NAVIGATION)
