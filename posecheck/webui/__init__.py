"""Streamlit building blocks for the app's pages: presentation only, every rule lives elsewhere."""
