import json
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from mockroom.text.embeddings import SentenceEncoder, _passes, encoder

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "minilm_reference.json").read_text())


def test_encoder_matches_sentence_transformers():
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


@pytest.fixture(scope="module")
def numpy_encoder() -> SentenceEncoder:
    return SentenceEncoder(runtime="numpy")


@pytest.fixture(scope="module")
def onnx_encoder(tmp_path_factory: pytest.TempPathFactory) -> SentenceEncoder:
    return SentenceEncoder(runtime="onnx", cache_dir=tmp_path_factory.mktemp("cache"))


def _random_texts(seed: int, count: int) -> list[str]:
    """Answers from empty to past the 256-token limit, most of them short."""
    rng = np.random.default_rng(seed)
    words = [*" ".join(REFERENCE["texts"]).split(), "naïve", "résumé", "C++", "node.js", "3.14", "😀", "?!"]
    lengths = np.where(rng.random(count) < 0.7, rng.integers(0, 12, count), rng.integers(12, 320, count))
    return [" ".join(rng.choice(words, size=int(n))) for n in lengths]


def _assert_same(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    assert (ours * theirs).sum(axis=1).min() > 0.99999
    assert np.abs(ours - theirs).max() < 1e-4


def test_onnx_and_numpy_give_the_same_vectors(numpy_encoder: SentenceEncoder, onnx_encoder: SentenceEncoder):
    assert (numpy_encoder.runtime, onnx_encoder.runtime) == ("numpy", "onnx")
    _assert_same(onnx_encoder.encode(REFERENCE["texts"]), numpy_encoder.encode(REFERENCE["texts"]))
    for seed in range(3):
        texts = _random_texts(seed, 40)
        _assert_same(onnx_encoder.encode(texts), numpy_encoder.encode(texts))
    mixed = ["Redis", "x " * 400, "", "A cache in front of the database.", "Redis"]
    _assert_same(onnx_encoder.encode(mixed), np.concatenate([onnx_encoder.encode([text]) for text in mixed]))
    assert onnx_encoder.encode([]).shape == (0, 384)


def test_a_long_text_does_not_pad_the_pass_of_short_ones():
    lengths = [6, 7, 120, 6, 8, 30, 31]
    assert list(_passes(lengths)) == [[0, 3, 1, 4], [5, 6], [2]]
    assert list(_passes([12] * 1000)) == [list(range(341)), list(range(341, 682)), list(range(682, 1000))]


def test_a_corrupt_cached_graph_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    first = SentenceEncoder(runtime="onnx", cache_dir=tmp_path)
    (graph,) = tmp_path.glob("*.onnx")
    expected = first.encode(REFERENCE["texts"])
    size = graph.stat().st_size
    graph.write_bytes(b"not a graph" * 100)
    (tmp_path / "all-minilm-l6-v2-0123456789abcdef.onnx").write_bytes(b"left by an older version")
    with caplog.at_level(logging.WARNING, logger="mockroom.text.embeddings"):
        second = SentenceEncoder(runtime="onnx", cache_dir=tmp_path)
    assert "building it again" in caplog.text
    assert second.runtime == "onnx" and graph.stat().st_size == size
    assert [path.name for path in tmp_path.iterdir()] == [graph.name]  # no scratch file, no stale graph
    np.testing.assert_array_equal(second.encode(REFERENCE["texts"]), expected)


def test_numpy_is_the_fallback_without_onnxruntime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with caplog.at_level(logging.WARNING, logger="mockroom.text.embeddings"):
        fallback = SentenceEncoder(cache_dir=tmp_path)
    assert fallback.runtime == "numpy" and "run in NumPy" in caplog.text
    with pytest.raises(ImportError):
        SentenceEncoder(runtime="onnx", cache_dir=tmp_path)


def test_threads_sharing_an_encoder_get_their_own_vectors(onnx_encoder: SentenceEncoder):
    groups = [_random_texts(seed, 8) for seed in range(8)]
    expected = [onnx_encoder.encode(texts) for texts in groups]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(onnx_encoder.encode, groups * 2))
    for got, want in zip(results, expected * 2, strict=True):
        _assert_same(got, want)
