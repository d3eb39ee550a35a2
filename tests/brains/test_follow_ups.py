"""The embedded brain's follow-ups do not ask what the answer already said."""

from mockroom.brains.base import InterviewContext
from mockroom.brains.embedded import EmbeddedBrain, from_bank
from mockroom.brains.follow_ups import compose
from mockroom.questions.bank import question_by_id

CONTEXT = InterviewContext(topic="Python backend", level="intermediate", kind="technical", duration_minutes=30)
INTROSPECTION = "What can go wrong with introspection tools if you forget functools.wraps?"


def _follow_up(answer: str) -> str:
    found = question_by_id("python-i-01")
    assert found is not None and INTROSPECTION in [f.text for f in found.follow_ups]
    question = from_bank(found, "python")
    assessment = EmbeddedBrain().assess(context=CONTEXT, question=question, answer=answer)
    return compose(question=question, answer=answer, assessment=assessment, move="challenge", asked=set())


def test_a_follow_up_the_answer_already_answered_in_other_word_forms_is_not_asked() -> None:
    answered = (
        "A decorator is a callable that takes a function and returns a replacement, usually a wrapper that takes "
        "*args and **kwargs, does something before or after, and calls the original. The @ line is just shorthand "
        "for func = decorator(func). Without functools.wraps the wrapper hides the original's __name__, docstring "
        "and signature metadata, which breaks logging, debugging and tools like pytest or FastAPI that introspect "
        "the function, so wraps copies those attributes onto the wrapper."
    )
    assert INTROSPECTION not in _follow_up(answered)


def test_the_same_follow_up_is_asked_when_the_answer_left_it_open() -> None:
    open_ended = (
        "A decorator is a callable that takes a function and returns a replacement, usually a wrapper that takes "
        "*args and **kwargs and calls the original; the @ line is shorthand for func = decorator(func). "
        "functools.wraps copies the name, docstring and other metadata of the original onto the wrapper."
    )
    assert INTROSPECTION in _follow_up(open_ended)
