"""posecheck's web app: the page list. Layout only: every rule lives in the posecheck package.

Run with `make app` (http://localhost:8501).
"""

from __future__ import annotations

import streamlit as st

from posecheck.live.loopback import allow_loopback_ice

st.set_page_config(page_title="posecheck", page_icon="🧘", layout="wide")
allow_loopback_ice()  # only when POSECHECK_LOOPBACK_ICE=1 (the loopback-only browser test)

st.navigation([
    st.Page("app_pages/start.py", title="Start here", icon="🏠", default=True),
    st.Page("app_pages/live.py", title="Live coaching", icon="🎥", url_path="live"),
    st.Page("app_pages/video.py", title="Recorded video", icon="📼", url_path="video"),
]).run()
