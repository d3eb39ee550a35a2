import json
from pathlib import Path

import numpy as np

from mockroom.text.embeddings import encoder

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "minilm_reference.json").read_text())


def test_numpy_encoder_matches_sentence_transformers():
    """The vectors were produced by sentence-transformers itself on the same model files."""
    ours = encoder().encode(REFERENCE["texts"])
    theirs = np.array(REFERENCE["vectors"], dtype=np.float32)
    similarity = (ours * theirs).sum(axis=1)
    assert similarity.min() > 0.9999
    assert np.abs(ours - theirs).max() < 1e-3


def test_paraphrases_are_closer_than_unrelated_text():
    vectors = encoder().encode(
        ["Tuples cannot be changed after they are created.", "Lists are mutable while tuples are immutable.",
         "We ran a paid search campaign for the product launch."]
    )
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_batch_with_padding_gives_the_same_vector_as_alone():
    short, long = "Redis caching", "A much longer sentence about consistent hashing in distributed caches and rebalancing."
    alone = encoder().encode([short])[0]
    batched = encoder().encode([short, long])[0]
    assert float(alone @ batched) > 0.99999
