"""Spoken cues through the browser's own speech synthesis (offline, no audio sent from the server)."""

from __future__ import annotations

import json


def speech_html(text: str, speak_id: int) -> str:
    """A script that says `text` once per `speak_id`.

    The page re-renders twice a second; the script remembers the last id it spoke in the browser
    window, so a cue is spoken once however often it is drawn, and a newer cue cuts an older one off.
    """
    said = json.dumps(text).replace("</", "<\\/")
    return f"""<script>
(function () {{
  const w = window.parent || window;
  const synth = w.speechSynthesis;
  if (!synth || (w.__posecheckSpoken || 0) >= {int(speak_id)}) return;
  w.__posecheckSpoken = {int(speak_id)};
  synth.cancel();
  const u = new SpeechSynthesisUtterance({said});
  u.rate = 0.95;
  synth.speak(u);
}})();
</script>"""
