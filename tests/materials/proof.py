"""What a browser does with the contest start form's proof: solve the proof of work (JavaScript on) or
read the number in words and type it (JavaScript off)."""

import html
import json
import re

from loa.core import altcha
from loa.nlp.spoken import number_words


def solved(page: str) -> dict:
    """The ``altcha`` field as ``altcha.js`` fills it."""
    data = json.loads(html.unescape(re.search(r'data-challenge="([^"]+)"', page).group(1)))
    return {"altcha": altcha.payload(data, altcha.solve(data))}


def typed(page: str) -> dict:
    """The no-JavaScript fallback: the number written in words, typed as digits."""
    words = html.unescape(re.search(r"con số “([^”]+)”", page).group(1))
    number = next(n for n in range(100, 1000) if number_words(n) == words)
    salt = html.unescape(re.search(r'name="proof_salt" value="([^"]+)"', page).group(1))
    sig = re.search(r'name="proof_sig" value="([^"]+)"', page).group(1)
    return {"proof_words": str(number), "proof_salt": salt, "proof_sig": sig}
