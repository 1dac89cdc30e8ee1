"""The one part of strategy/ that imports Streamlit. Pages import from here; each part lives in its own module:

data          the server's connection, cached answers and figures, the maintenance message
shared_figures  heatmaps, trend charts and the map, built once for every session
shared_answers  the pinned quotes and the decision form's choices, shared by every session
warming       the shared views' answers, computed when the server starts
page          page set-up: sign-in check, the page's permission, the demo banner; what every page gets (Page)
navigation    the page list in the sidebar, by role and in groups, and the links at its foot
sidebar       the filter sidebar, kept in step with the address bar, and the export of the filtered activities
signin        st.login with OpenID Connect, and who is acting
widgets       chart blocks, headline indicator tiles
heatmaps      the dashboard's heatmaps on screen: grid or list, click layer, the choices kept in the address
text          plain(): what a user typed or uploaded, shown as text (the one escaping helper)
presentation  presentation mode and the board pack downloads
learning      the learning workspace pages: their shared widgets, and each page's parts (purposes, empathy,
              experiments, log)
records       chosen_record(): the list that picks one record to edit, or a new one
admin         the Admin page's parts: users, partners, the audit log
rounds        the Reporting round page's parts: a partner's own return, opening a round, status, reminders
loop          decisions, where a partner fits, what-if money
upload        the Upload page's parts: the organisation, the return, a file checked and loaded, roll back
overview      the Overview's parts: headline tiles, the compact heatmap, the largest gaps, about this data
alignment     the Alignment page's parts: view and measure, the heatmap, a cell's activities and quotes
coverage      the Coverage and gaps page's parts: the coverage heatmap, ranked gaps, need against effort
places        the Places page's parts: the map and a place's profile
trends        the Indicator trends page's parts: the choices, the chart, every place's values, the import
"""

from strategy.ui.data import answer, answer_table, connection, data_changed, database_file, open_connection
from strategy.ui.heatmaps import heatmap_block
from strategy.ui.learning import (
    actor,
    export_button,
    involvement_editor,
    pinned_quotes,
    place_choices,
    show_problems,
    writing,
)
from strategy.ui.navigation import NAVIGATION, NAVIGATION_GROUPS
from strategy.ui.page import Page, no_activities_yet, page_setup, show_document
from strategy.ui.presentation import board_pack_download, board_slides_for, presentation_style, show_slide, slide_number
from strategy.ui.records import chosen_record, remember_saved
from strategy.ui.shared_answers import pinned_quotes_for
from strategy.ui.shared_figures import heatmap_view, place_map, trend_chart
from strategy.ui.signin import acting_user, log_refusal, sign_in_active, signed_in_user
from strategy.ui.text import plain, plain_table
from strategy.ui.widgets import chart_block, headline_indicator_tiles

__all__ = [
    "NAVIGATION",
    "NAVIGATION_GROUPS",
    "Page",
    "acting_user",
    "actor",
    "board_pack_download",
    "board_slides_for",
    "answer",
    "answer_table",
    "chart_block",
    "chosen_record",
    "connection",
    "data_changed",
    "database_file",
    "export_button",
    "headline_indicator_tiles",
    "heatmap_block",
    "heatmap_view",
    "involvement_editor",
    "log_refusal",
    "no_activities_yet",
    "open_connection",
    "page_setup",
    "pinned_quotes",
    "place_map",
    "pinned_quotes_for",
    "place_choices",
    "plain",
    "plain_table",
    "presentation_style",
    "remember_saved",
    "show_document",
    "show_problems",
    "show_slide",
    "sign_in_active",
    "signed_in_user",
    "slide_number",
    "trend_chart",
    "writing",
]
