"""The brain interface: what the conductor asks of whoever phrases questions and judges answers.

The conductor owns the interview (plan, order, moves, guards); a brain only fills in content.
The embedded brain answers from the question bank and sentence embeddings; an LLM brain can
replace it without touching the flow. The data it speaks in is the interview vocabulary (`mockroom.vocabulary`).
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from mockroom.vocabulary import Assessment, InterviewContext, Move, QuestionDraft, Slot

TextSink = Callable[[str], None]


class Brain(Protocol):
    """Fills the conductor's plan with content. Every method is synchronous and side-effect free."""

    name: str

    def question(self, *, context: InterviewContext, slot: Slot, exclude: set[str]) -> QuestionDraft:
        """A new main question for the slot, whose ref and text are not in `exclude`."""
        ...

    def follow_up(
        self,
        *,
        context: InterviewContext,
        question: QuestionDraft,
        answer: str,
        assessment: Assessment,
        move: Move,
        asked: Sequence[str] = (),
        on_text: "TextSink | None" = None,
    ) -> str:
        """One follow-up question for the move that builds on the answer or probes what it missed, never one of
        `asked`; text may be streamed to `on_text` as it is generated. An empty string means: nothing worth asking."""
        ...

    def hint(
        self, *, context: InterviewContext, question: QuestionDraft, assessment: Assessment | None,
        given: Sequence[str] = (),
    ) -> str:
        """A nudge in plain sentences toward what the answer is missing, without giving the answer away and unlike
        the hints already `given`; it ends with a question inviting another try."""
        ...

    def assess(self, *, context: InterviewContext, question: QuestionDraft, answer: str) -> Assessment:
        """Judges how well the answer addresses the question's rubric."""
        ...

    def clarify(self, *, context: InterviewContext, question: QuestionDraft, request: str) -> str:
        """Rephrases the question for a candidate who asked what it means, without giving the answer."""
        ...

    def answer_candidate_question(self, *, context: InterviewContext, text: str) -> str:
        """A short reply to a question the candidate asks at the end (no question mark inside)."""
        ...

    def summarise(self, *, context: InterviewContext, facts: dict[str, Any]) -> str | None:
        """A short narrative summary for the report, or None to keep the built-in one."""
        ...

    def notice(self) -> str | None:
        """What the room should tell the candidate about this brain (e.g. a model too slow for live turns)."""
        ...
