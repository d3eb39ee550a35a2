"""Embeddings of every text in the question bank, computed once and cached on disk.

The bank has a few thousand short texts (topic descriptions, questions, key points, follow-ups);
encoding them takes seconds, so the vectors are stored under the cache directory keyed by a hash
of the bank's content and reused by every later process.
"""

import hashlib
import threading
from functools import cache
from pathlib import Path

import numpy as np

from mockroom.core.config import get_settings
from mockroom.questions.bank import BANK_DIR, load_bank
from mockroom.questions.rubric import as_answer_text
from mockroom.text.embeddings import Vectors, encoder
from mockroom.text.sentences import sentences

_lock = threading.Lock()


def bank_texts() -> list[str]:
    """Every text of the bank that answers are compared with, in a stable order."""
    texts: list[str] = []
    for topic in load_bank().values():
        texts += [topic.title, topic.description, *topic.aliases]
        for question in topic.questions:
            texts += [question.text, *(as_answer_text(p) for p in question.key_points)]
            texts += [f.text for f in question.follow_ups]
            texts += sentences(question.model_answer)
    return list(dict.fromkeys(texts))


def _bank_hash() -> str:
    digest = hashlib.sha256(Path(__file__).with_name("rubric.py").read_bytes())
    digest.update((Path(__file__).parents[1] / "text" / "sentences.py").read_bytes())
    for path in sorted(BANK_DIR.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _bank_vectors() -> dict[str, Vectors]:
    texts = bank_texts()
    path = Path(get_settings().cache_dir) / f"bank-vectors-{_bank_hash()}.npy"
    vectors = None
    if path.is_file():
        try:
            loaded = np.load(path)
            vectors = loaded if loaded.shape == (len(texts), 384) else None
        except (OSError, ValueError):
            vectors = None
    if vectors is None:
        vectors = encoder().encode(texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{threading.get_ident()}.tmp.npy")
            np.save(temporary, vectors)
            temporary.replace(path)
        except OSError:
            pass  # a read-only cache directory only costs the recomputation next time
    return dict(zip(texts, vectors, strict=True))


def bank_vectors() -> dict[str, Vectors]:
    """Text → unit vector for the whole bank (loaded from the disk cache when present)."""
    with _lock:
        return _bank_vectors()


def warm_up() -> None:
    """Loads the encoder and the bank vectors, so the first interview turn is fast."""
    bank_vectors()
