"""Sources: where timestamped frames come from (video files, landmark recordings, pushed frames)."""
