"""The interview conductor: state in, decision out.

It owns the flow of an interview (phases in order, one question per turn, follow-ups, adaptive difficulty, time
budget, replies to everything that is not an answer) and records every answer with its assessment and a hidden
note. It imports no web, database or model code: a brain supplies content, the caller supplies the clock and
persists the state after every turn.

How it chooses the next move, after an answer is assessed:
- a strong answer may get one follow-up that goes deeper into something the candidate said;
- an adequate or weak one gets one probe: on a point it missed (without naming it), or on its vagueness;
- hints only when the candidate asks, says they don't know, or is still stuck after a probe;
- never a request for an example right after one was given, never a question already asked.
"""

import re
from collections.abc import Callable
from contextvars import ContextVar

from mockroom.brains.base import Brain
from mockroom.interviews.intents import Reading, read_message
from mockroom.interviews.plan import CLOSING_RESERVE_SECONDS, build_plan
from mockroom.vocabulary import (
    LEVELS,
    NON_SUBSTANTIVE,
    AnswerRecord,
    AskedFollowUp,
    AskedQuestion,
    Assessment,
    CandidateQuestion,
    CodeRun,
    CodingExercise,
    ConductorState,
    Coverage,
    InterviewContext,
    Level,
    Move,
    Reply,
)

PHASE_LABELS = {
    "greeting": "Introduction",
    "experience": "Your experience",
    "technical": "Core questions",
    "coding": "Live coding",
    "behavioral": "Behavioral",
    "candidate_questions": "Your questions",
    "closing": "Wrap-up",
}
_ACKS = ("Thanks.", "Okay.", "Got it.", "Understood.", "Thank you.", "Alright.")
_PHASE_INTROS = {
    "experience": "I'd like to hear more about your background.",
    "technical": "Let's move on to some {topic} questions.",
    "behavioral": "Now a few questions about situations you've handled.",
}
MAX_SUBMISSIONS = 3
# In text mode, this many messages with no Run or Submit in between means the candidate is not coding.
MAX_TALK_WITHOUT_CODE = 3
MAX_CANDIDATE_QUESTIONS = 2
# Turns on one question that are not answers (silence, clarifications, asides) before the interview moves on.
MAX_NON_ANSWERS = 3
# Instructions to the interviewer, or an answer repeated from earlier, tolerated this often on one question.
MAX_IGNORED = 2
MAX_HINTS_PER_QUESTION = 2
# An answer to a probe below this grade means the candidate is stuck: the one moment a hint is offered unasked.
STUCK_GRADE = 2.5
STRONG_GRADE = 4.0
_ASKS_FOR_EXAMPLE = re.compile(
    r"\b(?:example|specific (?:time|situation|case|project|instance)|a time (?:when|you)|walk me through a (?:time|"
    r"situation|project)|describe the situation)\b",
    re.IGNORECASE,
)
# Where the reply being composed streams its text, if anywhere (set per call of `respond`).
_sink: ContextVar["_ReplyStream | None"] = ContextVar("reply_sink", default=None)


class _ReplyStream:
    """Forwards reply text as it is composed, and the rest once the reply is final."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self._emit = emit
        self.sent = ""

    def send(self, text: str) -> None:
        if text:
            self.sent += text
            self._emit(text)

    def finish(self, final: str) -> None:
        if final.startswith(self.sent):
            self.send(final[len(self.sent):])


def asked_texts(state: ConductorState) -> set[str]:
    """Every question asked so far, whole and by its final question sentence, normalised."""
    texts = set()
    for question in state.questions:
        for text in [question.draft.text, *(f.text for f in question.follow_ups)]:
            texts.add(_normalise(text))
            texts.add(_normalise(_question_sentence(text)))
    return texts


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _question_sentence(text: str) -> str:
    """The sentence holding the question mark (a lead-in like 'You said X.' is not part of it)."""
    head = text[: text.rfind("?") + 1] if "?" in text else text
    parts = re.split(r"(?<=[.!])\s+", head)
    return parts[-1] if parts else head


def start(*, context: InterviewContext, brain: Brain, now: float) -> tuple[ConductorState, list[Reply]]:
    """A new interview: the greeting and the first question."""
    state = ConductorState(context=context, plan=build_plan(context), started_at=now)
    greeting = Reply(
        text=(
            f"Hi, I'm {context.interviewer_name}, and I'll be your interviewer today. This is a "
            f"{context.duration_minutes}-minute {_level_phrase(context.level)} interview on {context.topic}. "
            "I'll ask one question at a time, so take your time to think before you answer."
        ),
        phase="greeting",
        move="greeting",
    )
    first = _ask_next_main(state, brain=brain, now=now, prefix="")
    return state, [greeting, first]


def respond(
    *,
    state: ConductorState,
    message: str,
    brain: Brain,
    now: float,
    seq: int,
    duration_seconds: float | None = None,
    emit: Callable[[str], None] | None = None,
) -> Reply:
    """The interviewer's reply to one candidate message; the state is updated in place.

    With `emit`, the reply's text is also streamed as it is composed (an LLM's follow-up token by
    token); the returned Reply is always the full, final text.
    """
    if state.finished:
        raise ValueError("the interview has finished")
    stream = _ReplyStream(emit) if emit else None
    token = _sink.set(stream)
    try:
        reply = _respond(state, message, brain=brain, now=now, seq=seq, duration_seconds=duration_seconds)
    finally:
        _sink.reset(token)
    if stream:
        stream.finish(reply.text)
    return reply


def _respond(
    state: ConductorState, message: str, *, brain: Brain, now: float, seq: int, duration_seconds: float | None
) -> Reply:
    state.turns += 1
    reading = read_message(message, phase=state.phase)
    if reading.removed_instructions:
        state.notes.append(
            f"Turn {state.turns}: ignored {len(reading.removed_instructions)} instruction(s) aimed at the interviewer."
        )
    if state.phase == "candidate_questions":
        return _handle_candidate_question(state, reading, brain=brain, now=now, seq=seq)
    question = state.current
    assert question is not None, "an interview in progress always has a current question"
    if reading.intent == "answer" and question.coding is None and _repeats_an_earlier_answer(state, reading.answer_text):
        return _on_repeated_answer(state, question, brain, now)
    follow_up_index = len(question.follow_ups) - 1 if question.follow_ups else None
    record = AnswerRecord(
        seq=seq, text=reading.answer_text, intent=reading.intent, follow_up=follow_up_index,
        duration_seconds=duration_seconds,
    )
    if reading.intent in ("repeat", "clarify", "injection", "role_question", "score_question", "hint_request"):
        return _on_aside(state, question, reading, seq=seq, brain=brain, now=now)
    question.answers.append(record)
    if reading.intent == "empty":
        return _on_empty(state, question, record, brain, now)
    if reading.intent == "skip":
        return _on_skip(state, question, record, brain, now)
    if reading.intent == "dont_know":
        return _on_dont_know(state, question, record, brain, now)
    return _on_answer(state, question, record, brain, now)


def end(*, state: ConductorState, now: float) -> None:
    """Marks the interview finished (idempotent)."""
    if not state.finished:
        state.finished = True
        state.phase = "closing"
        state.ended_at = now


def progress(state: ConductorState, now: float) -> dict[str, object]:
    """Where the interview stands, for the room's indicators."""
    elapsed = (state.ended_at or now) - state.started_at
    main_numbers = [q.number for q in state.questions]
    return {
        "phase": state.phase,
        "phase_label": PHASE_LABELS.get(state.phase, state.phase),
        "question_number": main_numbers[-1] if main_numbers else 0,
        "planned_questions": len(state.plan),
        "elapsed_seconds": round(max(0.0, elapsed), 1),
        "remaining_seconds": round(max(0.0, state.context.duration_minutes * 60 - elapsed), 1),
    }


def _on_aside(
    state: ConductorState, question: AskedQuestion, reading: Reading, *, seq: int, brain: Brain, now: float
) -> Reply:
    """Messages that are not answers and are never assessed: the question stays open."""
    question.retries += 1
    intent = reading.intent
    if intent == "repeat":
        # The question again, word for word; asking to hear it never counts against the candidate.
        question.retries -= 1
        return _reply(state, f"Of course. {question.current_prompt}", "repeat", question)
    if intent == "hint_request" and _can_hint(question):
        question.retries -= 1
        return _give_hint(state, question, brain, prefix="Sure." if question.coding is None else "", now=now)
    if question.retries > MAX_NON_ANSWERS or (intent == "injection" and question.retries > MAX_IGNORED):
        _record_non_answer(state, question, AnswerRecord(seq=seq, text="", intent=intent, follow_up=None),
                           "no answer to this question")
        return _advance(state, brain=brain, now=now, prefix="Let's move on to the next question.")
    if intent == "hint_request":
        return _give_hint(state, question, brain, prefix="", now=now)
    if intent == "clarify":
        text = brain.clarify(context=state.context, question=question.draft, request=reading.answer_text)
        return _reply(state, _one_question(text, fallback=question.current_prompt), "clarify", question)
    if intent == "injection":
        return _reply(
            state,
            f"I'll keep to the interview: scores come only from your answers to the questions. {question.current_prompt}",
            "redirect",
            question,
        )
    if intent == "score_question":
        return _reply(
            state,
            "I don't share scores during the interview; your report at the end has a score for each area with the "
            f"quotes behind it. For now, {_lowercase_first(question.current_prompt)}",
            "redirect",
            question,
        )
    asked = [sentence for sentence in re.split(r"(?<=[.!?])\s+", reading.answer_text) if sentence.endswith("?")]
    state.held_questions.append(CandidateQuestion(seq=seq, text=asked[-1] if asked else reading.answer_text))
    state.notes.append(f"Q{question.number}: the candidate asked about the role; kept for the end.")
    return _reply(
        state,
        "Good question. I'll note it and come back to it at the end, when there's time for your questions. "
        f"{question.current_prompt}",
        "hold_question",
        question,
    )


def _on_repeated_answer(state: ConductorState, question: AskedQuestion, brain: Brain, now: float) -> Reply:
    """The same answer given again: not assessed a second time; after two, the interview moves on."""
    question.retries += 1
    state.notes.append(f"Q{question.number}: an answer given earlier was repeated; not assessed again.")
    if question.retries > MAX_IGNORED:
        return _advance(state, brain=brain, now=now, prefix="Let's move on.")
    return _reply(
        state,
        f"That's the same answer you gave earlier. I'd like your answer to this question. {question.current_prompt}",
        "redirect",
        question,
    )


def _on_empty(state: ConductorState, question: AskedQuestion, record: AnswerRecord, brain: Brain, now: float) -> Reply:
    question.retries += 1
    if question.retries > MAX_IGNORED:
        _record_non_answer(state, question, record, "no answer after repeated prompts")
        return _advance(state, brain=brain, now=now, prefix="Let's try a different question.")
    question.answers.remove(record)
    return _reply(state, f"Take your time, there's no rush. {question.current_prompt}", "retry", question)


def _on_skip(state: ConductorState, question: AskedQuestion, record: AnswerRecord, brain: Brain, now: float) -> Reply:
    question.skipped = True
    _record_non_answer(state, question, record, "skipped at the candidate's request")
    return _advance(state, brain=brain, now=now, prefix="No problem, let's skip that one.")


def _on_dont_know(
    state: ConductorState, question: AskedQuestion, record: AnswerRecord, brain: Brain, now: float
) -> Reply:
    _record_non_answer(state, question, record, "said they did not know")
    if question.coding is not None:
        return give_hint(state=state) if _can_hint(question) else _coding_reply(state, question, brain, now)
    # Not knowing the answer to a follow-up after answering the question itself: a hint would be about the question
    # already answered (and cost its score), so the interview moves on.
    answered_already = record.follow_up is not None and any(a.substantive for a in question.answers)
    if (question.hints == 0 and question.source != "intro" and not answered_already
            and _has_time_for_follow_up(state, now)):
        return _give_hint(state, question, brain, prefix="That's fine.", now=now)
    return _advance(state, brain=brain, now=now, prefix="That's fine, let's move on.")


def _on_answer(state: ConductorState, question: AskedQuestion, record: AnswerRecord, brain: Brain, now: float) -> Reply:
    assessment = brain.assess(context=state.context, question=question.draft, answer=record.text)
    if assessment.quality == "off_topic" and question.follow_ups and _shares_words(record.text,
                                                                                     question.follow_ups[-1].text):
        # It answers the follow-up, which asks about one part of the question: not off-topic, only narrow.
        assessment.quality = "weak" if _grade(assessment) < 3 else "adequate"
    record.assessment = assessment
    state.notes.append(_note(question, assessment))
    if question.coding is not None:
        return _coding_reply(state, question, brain, now)
    if record.follow_up is None and question.phase == "technical":
        _track_quality(state, assessment.quality)
    move = _decide_move(state, question, record, assessment, now)
    if move == "advance":
        return _advance(state, brain=brain, now=now, prefix=_ack(state, assessment))
    if move == "hint":
        return _give_hint(state, question, brain, prefix="Let me help a little.", now=now)
    prefix = _ack(state, assessment)
    if assessment.quality == "gibberish":
        prefix = "I didn't quite follow that."
    elif assessment.quality == "off_topic":
        prefix = "That sounds like it's about something else."
    return _follow_up(state, question, brain, move, record, assessment, prefix=prefix, now=now)


def _decide_move(
    state: ConductorState, question: AskedQuestion, record: AnswerRecord, assessment: Assessment, now: float
) -> Move:
    """The next move from the assessment, the follow-ups used so far and the time left."""
    max_follow_ups = 3 if question.draft.kind == "system_design" else 2
    if question.source == "intro" or len(question.follow_ups) >= max_follow_ups:
        return "advance"
    if not _has_time_for_follow_up(state, now):
        return "advance"
    moves_used = [f.move for f in question.follow_ups]
    quality = assessment.quality
    if quality in ("gibberish", "off_topic"):
        return "simplify" if "simplify" not in moves_used else "advance"
    grade = _grade(assessment)
    if record.follow_up is not None:
        # An answer to a follow-up is judged against the main question's rubric, so its grade says little about
        # whether the candidate is stuck; what they say does.
        last = moves_used[-1] if moves_used else ""
        unsure = assessment.signals.get("hedges", 0) >= 2 and grade < STUCK_GRADE
        stuck = quality == "no_answer" or assessment.words < 12 or unsure
        if last in ("probe", "simplify") and stuck and question.hints == 0 and question.draft.kind != "coding":
            return "hint"
        if question.draft.kind == "system_design" and grade >= 3.0 and "challenge" not in moves_used:
            return "challenge"
        return "advance"
    if grade >= STRONG_GRADE:
        return "challenge"
    return "probe"


def _shares_words(answer: str, question: str) -> bool:
    """Whether the answer picks up at least one content word of the question asked."""
    stop = {"what", "how", "why", "would", "you", "your", "did", "does", "do", "the", "that", "this", "which"}
    asked = {w.lower().strip("?.,") for w in question.split() if len(w) > 3} - stop
    said = {w.lower().strip("?.,") for w in answer.split()}
    return bool(asked & said)


def _grade(assessment: Assessment) -> float:
    """The answer's 1-5 grade; states from before the learned assessor fall back on the quality class."""
    if assessment.grade is not None:
        return assessment.grade
    return {"strong": 4.3, "adequate": 3.2, "weak": 2.0}.get(assessment.quality, 1.0)


def _follow_up(
    state: ConductorState,
    question: AskedQuestion,
    brain: Brain,
    move: Move,
    record: AnswerRecord,
    assessment: Assessment,
    *,
    prefix: str,
    now: float,
) -> Reply:
    stream = _sink.get()
    if stream:
        stream.send(f"{prefix} " if prefix else "")
    asked = sorted(asked_texts(state))
    text = brain.follow_up(
        context=state.context, question=question.draft, answer=record.text, assessment=assessment,
        move=move, asked=asked, on_text=stream.send if stream else None,
    )
    text = _one_question(text, fallback="")
    if not _acceptable_follow_up(state, text, assessment, restates=move == "simplify"):
        return _advance(state, brain=brain, now=now, prefix=_ack(state))
    question.follow_ups.append(AskedFollowUp(move=move, text=text))
    return _reply(state, f"{prefix} {text}".strip(), move, question)


def _acceptable_follow_up(state: ConductorState, text: str, assessment: Assessment, *, restates: bool = False) -> bool:
    """Code's guards on any brain's follow-up: a new question, and no request for an example just given. A
    restatement of the question after an answer about something else (`restates`, the one "simplify" a question
    gets) asks the question again on purpose, and the example that answer gave was not one for this question."""
    if not text:
        return False
    if restates:
        return True
    asked = asked_texts(state)
    if _normalise(text) in asked or _normalise(_question_sentence(text)) in asked:
        return False
    gave_example = assessment.signals.get("example_given", 0.0) >= 1.0
    return not (gave_example and _ASKS_FOR_EXAMPLE.search(_question_sentence(text)))


def _give_hint(state: ConductorState, question: AskedQuestion, brain: Brain, *, prefix: str, now: float) -> Reply:
    """A hint in plain sentences (counted in the report), or a gentle refusal once the hints are used up."""
    if question.coding is not None:
        return give_hint(state=state)
    if not _can_hint(question):
        return _reply(
            state,
            "I'd rather hear your own take on this one: any part of it you're sure of is a good start, or say skip "
            f"and we'll move on. {question.current_prompt}",
            "retry",
            question,
        )
    last = next((a.assessment for a in reversed(question.answers) if a.assessment is not None), None)
    given = [f.text for f in question.follow_ups if f.move == "hint"]
    text = brain.hint(context=state.context, question=question.draft, assessment=last, given=given)
    text = " ".join(text.split())
    if not text or text.count("?") > 1 or not text.endswith("?"):
        return _advance(state, brain=brain, now=now, prefix="That's fine, let's move on.")
    question.hints += 1
    state.notes.append(f"Q{question.number}: hint {question.hints} given.")
    question.follow_ups.append(AskedFollowUp(move="hint", text=text))
    return _reply(state, f"{prefix} {text}".strip(), "hint", question)


def _can_hint(question: AskedQuestion) -> bool:
    """Whether a hint is still on offer for this question (coding hints are counted by the exercise)."""
    if question.coding is not None:
        return question.coding.hints < len(question.draft.hints or question.draft.follow_ups)
    return question.hints < MAX_HINTS_PER_QUESTION and question.source != "intro"


def _advance(state: ConductorState, *, brain: Brain, now: float, prefix: str) -> Reply:
    """The next main question, or the candidate's questions once the plan or the time runs out. The
    acknowledgement that leads the reply is streamed at once: the candidate sees and hears it while a model writes
    the question."""
    _trim_plan_to_time(state, now)
    stream = _sink.get()
    if stream and prefix and not stream.sent:
        stream.send(f"{prefix} ")
    if state.next_slot >= len(state.plan):
        state.phase = "candidate_questions"
        return _open_candidate_questions(state, brain=brain, prefix=prefix)
    return _ask_next_main(state, brain=brain, now=now, prefix=prefix)


def _open_candidate_questions(state: ConductorState, *, brain: Brain, prefix: str) -> Reply:
    """The end of the questions: answer what the candidate asked about the role earlier, then invite more."""
    parts = [prefix, "We're coming to the end of the interview."]
    held = [q for q in state.held_questions if not q.answered][:1]
    for question in held:
        answer = brain.answer_candidate_question(context=state.context, text=question.text).replace("?", ".")
        parts += [f"Earlier you asked: \"{question.text.rstrip('?')}?\"", answer]
        question.answered = True
        state.candidate_questions.append(question)
    parts.append("Do you have any other questions for me?" if held else "Do you have any questions for me?")
    text = " ".join(p for p in parts if p)
    state.last_prompt = text
    return Reply(text=text, phase=state.phase, move="candidate_questions")


def _ask_next_main(state: ConductorState, *, brain: Brain, now: float, prefix: str) -> Reply:
    slot = state.plan[state.next_slot]
    state.next_slot += 1
    slot.level = _shifted_level(slot.level, state.level_shift)
    exclude = {q.draft.ref for q in state.questions} | asked_texts(state)
    draft = brain.question(context=state.context, slot=slot, exclude=exclude)
    if draft.ref in exclude or _normalise(draft.text) in exclude:
        raise RuntimeError(f"brain {brain.name} repeated a question: {draft.ref}")
    changed_phase = slot.phase != state.phase
    state.phase = slot.phase
    question = AskedQuestion(
        number=len(state.questions) + 1, phase=slot.phase, level=slot.level, source=slot.source, draft=draft,
        asked_at=now,
    )
    if slot.source == "coding":
        question.coding = CodingExercise(problem_id=draft.ref.split(":", 1)[1])
    state.questions.append(question)
    intro = ""
    story = draft.kind in ("behavioral", "situational")
    if changed_phase and slot.phase in _PHASE_INTROS and (slot.phase != "experience" or story):
        topic = draft.topic if slot.source == "bank" and draft.topic else state.context.topic
        intro = _PHASE_INTROS[slot.phase].format(topic=_in_sentence(topic))
    elif slot.phase == "behavioral" and not changed_phase:
        intro = _NEXT_STORY[question.number % len(_NEXT_STORY)]
    text = " ".join(part for part in (prefix, intro, draft.text) if part)
    return _reply(state, text, "question", question)


def _handle_candidate_question(
    state: ConductorState, reading: Reading, *, brain: Brain, now: float, seq: int
) -> Reply:
    asked = len(state.candidate_questions)
    if reading.intent in ("no_more_questions", "empty", "injection") or asked >= MAX_CANDIDATE_QUESTIONS:
        if reading.intent == "answer":
            state.candidate_questions.append(CandidateQuestion(seq=seq, text=reading.answer_text))
        return _close(state, now)
    if reading.intent == "score_question":
        answer = ("Your report is ready as soon as we finish: it scores each area and quotes the answers behind each "
                  "score.")
    else:
        answer = brain.answer_candidate_question(context=state.context, text=reading.answer_text).replace("?", ".")
        if any(q.answered for q in state.candidate_questions):
            # Said once is enough: "As this is a practice interview, ..." does not open every reply.
            answer = re.sub(r"^As this is a practice interview[^.]*\.\s*", "", answer)
            answer = answer[:1].upper() + answer[1:]
    state.candidate_questions.append(CandidateQuestion(seq=seq, text=reading.answer_text, answered=True))
    if len(state.candidate_questions) >= MAX_CANDIDATE_QUESTIONS:
        end(state=state, now=now)
        return Reply(
            text=f"{answer} Thank you for your questions and for your time today. That's the end of the interview, "
            "and your feedback report is ready.",
            phase="closing",
            move="close",
        )
    text = f"{answer} Is there anything else you'd like to ask?"
    state.last_prompt = text
    return Reply(text=text, phase=state.phase, move="answer_question")


def _close(state: ConductorState, now: float) -> Reply:
    end(state=state, now=now)
    return Reply(
        text="Thank you for your time today. That's the end of the interview, and your feedback report is ready.",
        phase="closing",
        move="close",
    )


def _record_non_answer(state: ConductorState, question: AskedQuestion, record: AnswerRecord, why: str) -> Assessment:
    assessment = Assessment(
        quality="no_answer",
        coverage=[Coverage(point=p, covered=False) for p in question.draft.key_points],
        relevance=0.0,
        words=len(record.text.split()),
        note=why,
        grade=1.0,
    )
    record.assessment = assessment
    if record.follow_up is None and question.phase == "technical":
        _track_quality(state, "no_answer")
    state.notes.append(f"Q{question.number}: {why}.")
    return assessment


def _repeats_an_earlier_answer(state: ConductorState, text: str) -> bool:
    """Whether this answer (of some length) was already given, word for word, earlier in the interview."""
    normal = _normalise(text)
    if len(normal.split()) < 5:
        return False
    return any(_normalise(a.text) == normal for q in state.questions for a in q.answers if a.intent == "answer")


def _track_quality(state: ConductorState, quality: str) -> None:
    """Two strong answers in a row raise the level; two weak ones lower it."""
    state.recent_quality.append(quality)
    last_two = state.recent_quality[-2:]
    if len(last_two) < 2:
        return
    if all(q == "strong" for q in last_two):
        state.level_shift = min(state.level_shift + 1, 2)
        state.recent_quality.clear()
        state.notes.append("Two strong answers in a row: raising the difficulty.")
    elif all(q in ("weak", *NON_SUBSTANTIVE) for q in last_two):
        state.level_shift = max(state.level_shift - 1, -2)
        state.recent_quality.clear()
        state.notes.append("Two weak answers in a row: lowering the difficulty.")


def _shifted_level(level: str, shift: int) -> Level:
    index = max(0, min(len(LEVELS) - 1, LEVELS.index(level) + shift))  # type: ignore[arg-type]
    return LEVELS[index]


def _has_time_for_follow_up(state: ConductorState, now: float) -> bool:
    remaining_slots = len(state.plan) - state.next_slot
    return _remaining_seconds(state, now) > (remaining_slots * 60 + CLOSING_RESERVE_SECONDS)


def _remaining_seconds(state: ConductorState, now: float) -> float:
    return state.context.duration_minutes * 60 - (now - state.started_at)


def _trim_plan_to_time(state: ConductorState, now: float) -> None:
    """Drops core slots (keeping one behavioral) when the time left cannot hold the rest of the plan."""
    remaining = _remaining_seconds(state, now) - CLOSING_RESERVE_SECONDS
    left = state.plan[state.next_slot :]
    affordable = max(0, int(remaining // 75))
    if len(left) <= affordable:
        return
    behavioral = [s for s in left if s.phase == "behavioral"][:1]
    others = [s for s in left if s.phase != "behavioral"]
    kept = others[: max(0, affordable - len(behavioral))] + behavioral if affordable else []
    dropped = len(left) - len(kept)
    state.plan = state.plan[: state.next_slot] + kept
    state.notes.append(f"Time budget: dropped {dropped} planned question(s).")


def _note(question: AskedQuestion, assessment: Assessment) -> str:
    covered = [c.point for c in assessment.coverage if c.covered]
    grade = f", grade {assessment.grade:.1f}/5" if assessment.grade is not None else ""
    parts = [f"Q{question.number} ({assessment.quality}{grade})"]
    if covered:
        parts.append("covered: " + "; ".join(covered))
    if assessment.missed:
        parts.append("missed: " + "; ".join(assessment.missed))
    if assessment.model_grade is not None and assessment.grade is not None and (
        abs(assessment.model_grade - assessment.grade) > 0.01
    ):
        parts.append(f"the model's grade {assessment.model_grade:.0f}/5 was bounded to {assessment.grade:.1f} "
                     "by the learned assessor")
    return ". ".join(parts) + "."


def _ack(state: ConductorState, assessment: Assessment | None = None) -> str:
    """A short acknowledgement; a strong answer earns a word on what made it strong (never praise for a weak one)."""
    if assessment is not None and assessment.grade is not None and assessment.grade >= 4.5 and state.turns % 2:
        shown = assessment.signals
        options: tuple[str, ...]
        if shown.get("concrete_sentences", 0) >= 2 and shown.get("star_situation"):
            options = _STRONG_CONCRETE
        elif shown.get("reasoning_sentences", 0) >= 2:
            options = _STRONG_REASONED
        else:
            options = _STRONG_CLEAR
        return options[state.turns % len(options)]
    return _ACKS[state.turns % len(_ACKS)]


_NEXT_STORY = ("Here's another one.", "A different kind of situation now.", "Next one.", "Let's try another.")
_STRONG_CONCRETE = ("That's a concrete example, thanks.", "Thanks, that's specific.")
_STRONG_REASONED = ("Thanks, that's well reasoned.", "Good, that's clear on the why.")
_STRONG_CLEAR = ("Thanks, that's clear.", "Clear, thank you.")


def _level_phrase(level: str) -> str:
    return {"beginner": "beginner-level", "intermediate": "intermediate-level", "advanced": "advanced-level"}[level]


def _in_sentence(name: str) -> str:
    """A title inside a sentence: 'Product management' becomes 'product management'; 'SQL and databases' and
    'React' keep their capitals."""
    first, _, rest = name.partition(" ")
    if first.isupper() or (first[1:] != first[1:].lower()) or not rest:
        return name
    return f"{first.lower()} {rest}"


def _lowercase_first(text: str) -> str:
    """'What is X?' becomes 'what is X?' after a lead-in; names and acronyms keep their capitals."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1:].lower() != first[1:] or first in ("I", "I'd", "I'm")):
        return text
    return text[:1].lower() + text[1:]


def _one_question(text: str, *, fallback: str) -> str:
    """Keeps a brain's text to at most one question: everything up to and including the first '?'."""
    text = " ".join(text.split())
    if "?" not in text:
        return fallback or text
    return text[: text.index("?") + 1]


def _reply(state: ConductorState, text: str, move: str, question: AskedQuestion) -> Reply:
    state.last_prompt = text
    return Reply(text=text, phase=state.phase, move=move, question_number=question.number)


def _coding_reply(state: ConductorState, question: AskedQuestion, brain: Brain, now: float) -> Reply:
    """After the candidate talks during a coding exercise: keep them coding, or move on once done."""
    assert question.coding is not None
    submits = [r for r in question.coding.runs if r.kind == "submit" and not r.runner_failed]
    if not _has_time_for_follow_up(state, now):
        return _advance(state, brain=brain, now=now, prefix="We're out of time for this exercise.")
    if submits and (submits[-1].passed == submits[-1].total or len(submits) >= MAX_SUBMISSIONS):
        return _advance(state, brain=brain, now=now, prefix="Thanks for walking me through it.")
    talked = sum(1 for a in question.answers if a.intent == "answer")
    idle_talk = sum(1 for a in question.answers if a.intent == "answer" and a.seq > _last_run_seq(question))
    wants_to_submit = bool(question.answers) and re.search(r"\bsubmit\b", question.answers[-1].text, re.IGNORECASE)
    if idle_talk > MAX_TALK_WITHOUT_CODE and not wants_to_submit:
        return _advance(state, brain=brain, now=now, prefix="Let's leave the exercise there and move on.")
    said = question.answers[-1].text if question.answers else ""
    if re.search(r"\bsubmit\b", said, re.IGNORECASE) and not submits:
        text = "Go ahead and press Submit; it runs your code against every test, and then we'll talk it through."
    elif _looks_like_code(said):
        text = ("Thanks. Put that code in the editor and press Submit, so it runs against the tests; code pasted "
                "into the chat can't be run.")
    elif submits:
        text = "Thanks. Have another look at the failing cases, and submit again when you're ready."
    elif talked <= 1 and not re.search(r"\bO\s*\(|\bcomplexity\b|\blinear\b|\bquadratic\b", said, re.IGNORECASE):
        text = "That sounds like a plan. What time and space complexity do you expect it to have?"
    elif talked <= 1:
        text = f"{_ack(state)} Go ahead and write it; use Run to check the examples and Submit when you're ready."
    else:
        text = "Noted. Keep going, and submit whenever you're ready."
    return _reply(state, text, "coding_continue", question)


def _looks_like_code(text: str) -> bool:
    """Whether a chat message holds code rather than talk about it."""
    lines = text.splitlines()
    return "```" in text or sum(
        1 for line in lines if re.match(r"\s*(?:def |class |return\b|for .+:|if .+:|while |function |const |let |"
                                        r"int |public |#include|fn |func |\}|.*;\s*$)", line)
    ) >= 2


def _last_run_seq(question: AskedQuestion) -> int:
    runs = question.coding.runs if question.coding else []
    return max((r.seq for r in runs), default=0)


_AFTER_PASS = (
    "All {total} tests pass. What are the time and space complexity of your solution?",
    "All {total} tests pass. Which edge cases did you make sure to handle?",
    "All {total} tests pass. How would you change the solution if the input were too large for memory?",
)
_AFTER_FAIL = (
    "{passed} of {total} tests pass. Which cases do you think your solution is missing?",
    "{passed} of {total} tests pass now. What would you check next?",
    "{passed} of {total} tests pass. Can you walk me through your code on the failing example?",
)
RUNNER_FAILED = (
    "Something went wrong on our side while running your code, so that run doesn't count and says nothing about "
    "your solution. Please press {action} again; if it keeps failing, just talk me through your approach."
)


def record_code_run(*, state: ConductorState, run: CodeRun, now: float) -> Reply | None:
    """Records a Run or Submit of the candidate's code; a Submit gets the interviewer's follow-up question, and a
    run the runner itself failed is said plainly and never counts against the candidate."""
    question = state.current
    if state.finished or question is None or question.coding is None:
        raise ValueError("no coding exercise is open")
    question.coding.runs.append(run)
    state.turns += 1
    if run.runner_failed:
        state.notes.append(f"Q{question.number}: the code runner failed ({run.kind}); not counted.")
        return _reply(state, RUNNER_FAILED.format(action="Submit" if run.kind == "submit" else "Run"),
                      "runner_failed", question)
    if run.kind != "submit":
        return None
    state.notes.append(f"Q{question.number}: submitted {run.language} code, {run.passed}/{run.total} tests passed.")
    passed_all = run.passed == run.total
    options = _AFTER_PASS if passed_all else _AFTER_FAIL
    asked = asked_texts(state)
    for template in options:
        text = template.format(passed=run.passed, total=run.total)
        if _normalise(text) not in asked:
            move = "challenge" if passed_all else "probe"
            question.follow_ups.append(AskedFollowUp(move=move, text=text))
            return _reply(state, text, move, question)
    return _reply(state, "Thanks. Tell me when you'd like to move on.", "coding_continue", question)


def give_hint(*, state: ConductorState) -> Reply:
    """The next hint of the open coding exercise (hints are counted in the report)."""
    question = state.current
    if state.finished or question is None or question.coding is None:
        raise ValueError("no coding exercise is open")
    hints = question.draft.hints or [f.text for f in question.draft.follow_ups]
    index = question.coding.hints
    if index >= len(hints):
        return _reply(state, "That's every hint I have. Try a small example by hand and trace your code.", "hint",
                      question)
    question.coding.hints += 1
    question.hints += 1
    state.notes.append(f"Q{question.number}: hint {index + 1} of {len(hints)} given.")
    return _reply(state, f"Here's hint {index + 1} of {len(hints)}: {hints[index]}", "hint", question)
