"""A board decision's states, in order, with their labels: light enough for the command line's --help."""

STATES = {"open": "Open", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}
