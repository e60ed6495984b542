"""Optional machine-voice audio of an approved loudspeaker script: espeak-ng's Vietnamese voice (a
Debian package) to WAV, then MP3 through lame when it is installed. Offered only where the espeak-ng
binary exists, and always labelled "giọng máy" (a machine voice, not a broadcast recording). No
neural TTS: those on PyPI fetch their weights from a hub. No Django here."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

VOICES = {"bac": "vi", "trung": "vi-vn-x-central", "nam": "vi-vn-x-south"}
WORDS_PER_MINUTE = 200  # the scripts' own timing: 200 syllables a minute
TIMEOUT = 60
MAX_CHARS = 20_000


class Unavailable(RuntimeError):
    pass


def available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, *, voice: str = "bac") -> tuple[bytes, str]:
    """``text`` (already in spoken form) as audio: (bytes, "audio/mpeg") with lame, else
    (bytes, "audio/wav"). The text goes through standard input, never the command line."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise Unavailable("espeak-ng is not installed")
    text = (text or "").strip()[:MAX_CHARS]
    if not text:
        raise ValueError("empty text")
    with tempfile.TemporaryDirectory(prefix="loa-audio-") as tmp:
        wav = Path(tmp) / "script.wav"
        subprocess.run(
            [espeak, "-v", VOICES.get(voice, "vi"), "-s", str(WORDS_PER_MINUTE), "-w", str(wav), "--stdin"],
            input=text.encode(),
            check=True,
            timeout=TIMEOUT,
            capture_output=True,
        )
        lame = shutil.which("lame")
        if lame is None:
            return wav.read_bytes(), "audio/wav"
        mp3 = Path(tmp) / "script.mp3"
        subprocess.run(
            [lame, "--quiet", "-m", "m", "-b", "48", str(wav), str(mp3)],
            check=True,
            timeout=TIMEOUT,
            capture_output=True,
        )
        return mp3.read_bytes(), "audio/mpeg"
