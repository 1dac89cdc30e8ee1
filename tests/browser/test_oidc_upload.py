"""A partner signs in through the local OpenID Connect provider, uploads activities for their own organisation
(the only one offered), and sees only their own upload history, while an admin signed in at the same time in
another browser sees everyone's."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import choose_organisation, wait_for_app
from tests.browser.test_oidc_signin import OWN, PEOPLE, new_person, provider, sign_in, signin_db, signin_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

OTHER = "Amber Valley Leisure Trust"  # a demo partner
HEADER = ["activity_id", "title", "sector", "places", "aims", "start_date"]


def activity_file(activity_id: str, title: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerow([activity_id, title, "Sport", "Mansfield", "A1", "2025-04-01"])
    return text.getvalue().encode()


def upload(page, url: str, organisation: str, file_name: str, data: bytes, choose: bool = True) -> None:
    """On the Upload page: choose the organisation (a partner has no choice: their own, so choose=False), the
    file, wait for the check."""
    if choose:
        choose_organisation(page, organisation)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": file_name, "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_app(page)


def test_a_partner_uploads_for_their_own_organisation_only_and_sees_only_their_history(
    signin_url, provider, new_person, test_output
):
    admin, partner = new_person(), new_person()
    sign_in(admin, signin_url, provider, PEOPLE["admin"])
    admin.goto(signin_url + "/Upload")
    wait_for_app(admin)
    upload(admin, signin_url, OTHER, "other.csv", activity_file("AV-1", "Amber Valley walking football"))
    admin.get_by_role("button", name="Load 1 activities").click()
    admin.get_by_text("See them in the Alignment heatmap").wait_for()

    sign_in(partner, signin_url, provider, PEOPLE["partner"])
    partner.goto(signin_url + "/Upload")
    wait_for_app(partner)
    partner.get_by_text(f"You report for {OWN}, your organisation.").wait_for()  # from their account
    assert partner.get_by_role("combobox", name="Your organisation").count() == 0  # no other to choose
    upload(partner, signin_url, OWN, "ours.csv", activity_file("MCT-1", "Mansfield health walks"), choose=False)
    partner.get_by_role("button", name="Load 1 activities").click()
    partner.get_by_text("See them in the Alignment heatmap").wait_for()
    partner.screenshot(path=str(test_output / "oidc-partner-uploaded.png"), full_page=True)
    partner.get_by_text(f"1 upload of {OWN}, your organisation").wait_for()  # not the admin's upload for another

    # The admin, signed in all along in the other browser, sees both organisations' uploads.
    admin.reload()
    wait_for_app(admin)
    admin.get_by_text("2 uploads.", exact=True).wait_for()  # both organisations' uploads
