"""The safety notice the articles ask for, shown before the first live session."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import streamlit as st

RED_FLAGS = (
    "new problems controlling your bladder or bowels",
    "a fever along with the back pain",
    "severe pain that does not get better with rest",
    "pain shooting down a leg",
    "weakness or numbness in one or both legs",
    "unexplained weight loss",
)
DISCLAIMER = ("posecheck gives exercise-form feedback, not medical advice or a diagnosis. "
              "Stop at once if a stretch hurts: gentle is the rule.")
CONTINUE_LABEL = "None of these apply to me — continue"
_ACK_KEY = "safety_acknowledged"


def acknowledged(state: MutableMapping[str, Any]) -> bool:
    return bool(state.get(_ACK_KEY))


def red_flags_markdown() -> str:
    return ("**See a doctor instead of exercising if your back pain comes with:**\n"
            + "\n".join(f"- {flag}" for flag in RED_FLAGS)
            + "\n\nStop any stretch that hurts, and see a doctor if pain goes on after you stop.")


def safety_gate() -> bool:
    """Show the red-flag list until the user confirms it; True once confirmed in this session."""
    if acknowledged(st.session_state):
        return True
    st.warning(red_flags_markdown(), icon="⚠️")
    st.caption(DISCLAIMER)
    if st.button(CONTINUE_LABEL, type="primary"):
        st.session_state[_ACK_KEY] = True
        st.rerun()
    return False
