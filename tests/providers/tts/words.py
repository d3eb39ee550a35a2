"""Comparing what was spoken with what was heard."""

import re


def spoken_words(text: str) -> list[str]:
    """The words of `text`, lower case, without punctuation: what a round trip through STT should give back."""
    return re.findall(r"[a-z]+", text.lower())
