"""Partners in the loop: where a partner fits (fit.py), board decisions that come back (decisions.py) and
what-if money (scenarios.py). Pure Python, no Streamlit."""
