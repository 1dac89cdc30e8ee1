"""The load test's yardstick: a small page written as Streamlit's own examples write one, with plotly.express (a
title, a metric and one bar chart of a small DataFrame), run as its own streamlit app under the same load."""

import pandas as pd
import plotly.express as px
import streamlit as st

st.title("Activities by aim")
data = pd.DataFrame({"aim": [f"Aim {n}" for n in range(1, 6)], "activities": [120, 85, 64, 142, 97]})
st.metric("Activities", f"{data.activities.sum():,}")
fig = px.bar(data, x="aim", y="activities", title="Activities by aim")
st.plotly_chart(fig)
