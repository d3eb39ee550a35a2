"""Cuts streamed reply text into sentences as it arrives, so that speech can start on the first one."""

import re

_END = re.compile(r"[.!?…]+[\"')\]]*\s+")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "e.g", "i.e", "etc", "vs", "approx", "no", "st"}


class SentenceStream:
    """Feed text pieces in; complete sentences come out; `flush` returns what is left at the end."""

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, piece: str) -> list[str]:
        """The sentences completed by `piece`."""
        self._pending += piece
        out: list[str] = []
        start = 0
        for match in _END.finditer(self._pending):
            before = self._pending[start:match.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha() and len(before) > 1):
                continue
            sentence = self._pending[start:match.end()].strip()
            if sentence:
                out.append(sentence)
            start = match.end()
        self._pending = self._pending[start:]
        return out

    def flush(self) -> str:
        """The unfinished rest, stripped."""
        rest, self._pending = self._pending.strip(), ""
        return rest
