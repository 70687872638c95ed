"""Sinks: where verdicts go (report, CSV, annotated video, overlay drawing)."""
