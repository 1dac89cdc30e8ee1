"""Accessibility statement (the GOV.UK model): who the dashboard is for, how accessible it is, its known limits,
how to report a problem, the enforcement procedure, and how it was tested."""

from strategy.ui import page_setup, show_document

page_setup("Accessibility statement", icon=":material/accessibility_new:", sidebar_filters=False, public=True)
show_document("accessibility-statement")
