"""A rubric point and an answer sentence clash only when one denies what the other says."""

from mockroom.text.signals import negation_clash


def test_a_sentence_that_denies_what_the_point_says_clashes() -> None:
    assert negation_clash("tuples are not mutable", "Tuples are mutable, so you can change them in place.")
    assert negation_clash("a blocking call inside a coroutine stalls the event loop",
                          "A blocking call does not stall the event loop.")


def test_a_point_phrased_with_a_negation_does_not_clash_with_the_same_said_positively() -> None:
    point = "calling a generator function returns a generator object without running the body"
    assert not negation_clash(point, "Calling it returns an iterator that produces values lazily.")
    assert not negation_clash("the GIL is held while Python bytecode runs",
                              "Threads don't speed up CPU-bound code because of it.")
    assert not negation_clash("tuples are immutable", "Tuples are immutable.")
