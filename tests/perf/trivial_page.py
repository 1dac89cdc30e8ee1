"""The load test's floor: one title and one small chart, nothing else (run as its own streamlit app)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Trivial page")
st.plotly_chart(go.Figure(go.Bar(x=list("ABCDEFGHIJ"), y=list(range(10)))), key="trivial")
st.metric("Sessions see", "10 bars")
