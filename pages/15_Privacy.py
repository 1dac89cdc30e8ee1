"""Privacy notice: what personal data the dashboard holds, why, for how long, and whom to contact."""

from strategy.ui import page_setup, show_document

page_setup("Privacy notice", icon=":material/policy:", sidebar_filters=False, public=True)
show_document("privacy-notice")
