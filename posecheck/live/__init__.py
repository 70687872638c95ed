"""Live coaching: one session per browser, fed camera frames with their timestamps."""
