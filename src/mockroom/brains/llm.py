"""The LLM brain: a model writes questions, follow-ups and judgements inside the code-owned plan.

Every call is validated in code (one question per message, no repeats, quotes that really are in
the answer); an invalid result gets one repair attempt, and a provider failure or a second invalid
result falls back to the embedded brain for that step, so the interview always goes on. Inside a
turn (`mockroom.brains.turns`) every model call must also finish within the turn's budget, or the
embedded brain answers that step and the model's late result is dropped. Each draft and assessment
records which brain produced it, and each step of a turn which brain answered and why.
"""

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from mockroom.brains import turns
from mockroom.brains.base import TextSink
from mockroom.brains.embedded import EmbeddedBrain
from mockroom.brains.turns import FallbackReason, Gate, Mode, OverBudget, run_until
from mockroom.cv.injection import looks_like_instruction
from mockroom.providers.llm.base import ChatMessage, LLMProvider, ModelSpeed, ProviderError
from mockroom.questions.job import requirements
from mockroom.text import signals
from mockroom.text.sentences import words
from mockroom.vocabulary import (
    Assessment,
    Coverage,
    FollowUp,
    InterviewContext,
    Move,
    Quality,
    QuestionDraft,
    Slot,
)

log = logging.getLogger("mockroom.brain")
T = TypeVar("T")
PROMPTS_PATH = Path(__file__).parent / "prompts" / "interviewer.yaml"
_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian",
    "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "hi": "Hindi", "ar": "Arabic",
}
_QUALITIES = ("strong", "adequate", "weak", "no_answer", "gibberish", "off_topic")
QUESTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "key_points": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 6},
        "follow_ups": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "model_answer": {"type": "string"},
    },
    "required": ["text", "key_points", "follow_ups", "model_answer"],
    "additionalProperties": False,
}
# Sized to the prompt's limits (a 40-word question, 3-5 points, 3 follow-ups, a 150-word model answer) with room
# for languages that take more tokens per word; the array bounds keep a small model from looping in a list.
QUESTION_MAX_TOKENS = 700
ASSESSMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "quality": {"type": "string", "enum": list(_QUALITIES)},
        "grade": {"type": "integer", "minimum": 1, "maximum": 5},
        "covered": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"point": {"type": "string"}, "quote": {"type": "string"}},
                "required": ["point", "quote"],
                "additionalProperties": False,
            },
            "maxItems": 6,
        },
        "misconceptions": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "note": {"type": "string"},
    },
    "required": ["quality", "grade", "covered", "misconceptions", "note"],
    "additionalProperties": False,
}
ASSESSMENT_MAX_TOKENS = 600


# The step that every answer needs, an assessment: about 700 prompt tokens (persona, question, rubric, answer) and
# 250 written (SmolLM2-135M wrote 278). A model that cannot do one within a turn's budget sits that kind of turn out.
_STEP_PROMPT_TOKENS = 700
_STEP_OUTPUT_TOKENS = 250


class _SitsOut(Exception):
    """The model is too slow for this turn: the embedded brain answers without asking it."""


class InvalidOutput(ValueError):
    """The model's output broke a rule the code enforces; the message is fed back for one repair."""


class BadJSON(InvalidOutput):
    """The model's output was not the JSON object asked for (often cut off)."""


@cache
def load_prompts() -> dict[str, Any]:
    """The versioned prompt templates."""
    with PROMPTS_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def language_name(code: str) -> str:
    """A language's English name from its code (the code itself when unknown)."""
    return _LANGUAGES.get(code.lower().split("-")[0].split("_")[0], code)


class LLMBrain:
    """Questions, follow-ups and assessments from a language model, checked and guarded in code."""

    def __init__(
        self, provider: LLMProvider, *, fallback: EmbeddedBrain | None = None, turn_budget: float = 6.0,
        voice_turn_budget: float = 1.5, report_budget: float = 30.0,
    ) -> None:
        self.provider = provider
        self.fallback = fallback or EmbeddedBrain()
        self.budgets: dict[Mode, float] = {"text": turn_budget, "voice": voice_turn_budget, "report": report_budget}
        self.name = f"llm:{provider.name}/{provider.model}"
        self.prompt_version = load_prompts()["version"]
        # Seconds one assessment takes, per mode the model is too slow for (see `calibrate`).
        self.too_slow: dict[Mode, float] = {}

    def calibrate(self) -> ModelSpeed | None:
        """Times the model on this machine (where that is the provider's to do) and keeps it out of the live turns
        it cannot answer within their budget: those go to the embedded brain at once (reason `too_slow`) rather
        than waiting out the budget every time; the report, with its own longer budget, still uses the model."""
        speed = self.provider.measure_speed()
        if speed is None:
            return None
        step = speed.seconds(prompt_tokens=_STEP_PROMPT_TOKENS, output_tokens=_STEP_OUTPUT_TOKENS)
        self.too_slow = {mode: step for mode in ("text", "voice") if step > self.budgets[mode]}
        log.log(
            logging.WARNING if self.too_slow else logging.INFO,
            "%s on this machine: prompt %.0f tokens/s, writing %.0f tokens/s, about %.1f s per assessment; %s",
            self.name, speed.prompt_tokens_per_second, speed.generation_tokens_per_second, step,
            self.notice() or "fast enough for typed and spoken turns",
        )
        return speed

    def notice(self) -> str | None:
        """What the room tells the candidate when the model sits out live turns; None when it does not."""
        if "text" in self.too_slow:
            return (
                f"The configured model is too slow for live turns on this machine (about {self.too_slow['text']:.0f} s "
                f"a reply, the budget is {self.budgets['text']:g} s): the built-in interviewer answers, and the model "
                "is used for the report only."
            )
        if "voice" in self.too_slow:
            return (
                f"The configured model is too slow for spoken turns on this machine (about {self.too_slow['voice']:.0f} "
                f"s a reply, the budget is {self.budgets['voice']:g} s): spoken replies come from the built-in "
                "interviewer, typed ones from the model."
            )
        return None

    def _sits_out(self) -> bool:
        """Whether the turn in progress is one the model is too slow for."""
        opened = turns.current()
        return opened is not None and opened.mode in self.too_slow

    def question(self, *, context: InterviewContext, slot: Slot, exclude: set[str]) -> QuestionDraft:
        """A generated main question with its rubric; the embedded brain's when generation fails."""
        if slot.source in ("intro", "coding"):
            # The opening is fixed, and coding problems come only from the verified bank.
            turns.note("question", "embedded")
            return self.fallback.question(context=context, slot=slot, exclude=exclude)
        prompt = load_prompts()["question"].format(
            phase=slot.phase,
            kind=slot.kind,
            level=slot.level,
            focus=_focus(context, slot),
            asked="\n".join(f"- {text}" for text in sorted(exclude) if " " in text) or "- none yet",
            documents=_documents(context, slot),
            language_name=language_name(context.language),
        )

        def parse(text: str) -> QuestionDraft:
            data = _json(text)
            question = _single_question(str(data.get("text", "")), max_words=45)
            if " ".join(question.lower().split()) in exclude:
                raise InvalidOutput("that question was already asked; write a different one")
            points = [str(p).strip() for p in data.get("key_points", []) if str(p).strip()]
            follow_ups = [_single_question(str(f), max_words=40) for f in data.get("follow_ups", [])][:3]
            if len(points) < 2 or not follow_ups:
                raise InvalidOutput("give 3 to 5 key points and at least one follow-up question")
            ref = f"llm-{slot.phase}-{abs(hash(question)) % 10**8}"
            return QuestionDraft(
                text=question, key_points=points[:6], follow_ups=[FollowUp(text=f) for f in follow_ups],
                model_answer=str(data.get("model_answer", "")).strip()[:1500] or "No model answer was generated.",
                ref=ref, kind=slot.kind, topic=context.topic, brain=self.name,
            )

        result, reason = self._structured(context, prompt, QUESTION_SCHEMA, parse, max_tokens=QUESTION_MAX_TOKENS)
        if result is None:
            turns.note("question", "embedded", reason)
            draft = self.fallback.question(context=context, slot=slot, exclude=exclude)
            draft.brain = "embedded (fallback)"
            return draft
        turns.note("question", "model")
        return result

    def follow_up(
        self,
        *,
        context: InterviewContext,
        question: QuestionDraft,
        answer: str,
        assessment: Assessment,
        move: Move,
        asked: Sequence[str] = (),
        on_text: TextSink | None = None,
    ) -> str:
        """A follow-up that refers to the answer, streamed as it is generated."""
        prompts = load_prompts()
        prompt = prompts["follow_up"].format(
            language_name=language_name(context.language),
            move=move,
            move_instruction=prompts["move_instructions"][move],
            question=question.text,
            missed="; ".join(assessment.missed) or "none",
            asked="; ".join(list(asked)[-6:]) or "none",
            answer=_as_data(answer),
        )
        messages = self._messages(context, prompt)
        deadline = self._deadline()
        # An abandoned stream must not reach the candidate: the gate shuts when the budget runs out.
        gate = Gate(on_text) if on_text else None

        def generate() -> str:
            pieces: list[str] = []
            for delta in self.provider.stream(messages, max_tokens=120, temperature=0.4, deadline=deadline):
                pieces.append(delta)
                if gate and "?" not in "".join(pieces[:-1]):
                    gate.send(delta)
            return _single_question("".join(pieces), max_words=45)

        reason: FallbackReason
        try:
            if self._sits_out():
                raise _SitsOut
            text = run_until(deadline, generate, on_abandon=gate.close if gate else None)
            turns.note("follow_up", "model")
            return text
        except _SitsOut:
            reason = "too_slow"
        except OverBudget:
            reason = "over_budget"
        except ProviderError as error:
            reason = _reason(error, deadline)
        except InvalidOutput:
            reason = "invalid_output"
        log.warning("follow-up fell back to the embedded brain: %s", reason)
        turns.note("follow_up", "embedded", reason)
        return self.fallback.follow_up(
            context=context, question=question, answer=answer, assessment=assessment, move=move, asked=asked
        )

    def hint(
        self, *, context: InterviewContext, question: QuestionDraft, assessment: Assessment | None,
        given: Sequence[str] = (),
    ) -> str:
        """A model-written nudge; the embedded brain's when the model fails or breaks the rules."""
        missed = assessment.missed if assessment else question.key_points
        prompt = load_prompts()["hint"].format(
            language_name=language_name(context.language), question=question.text,
            missed="; ".join(missed) or "none", given="; ".join(given) or "none",
        )
        text, reason = self._text(context, prompt, max_tokens=120)
        copies_rubric = any(point.lower() in text.lower() for point in question.key_points)
        if text and text.endswith("?") and text.count("?") == 1 and len(words(text)) <= 60 and not copies_rubric:
            turns.note("hint", "model")
            return text
        turns.note("hint", "embedded", reason or "invalid_output")
        return self.fallback.hint(context=context, question=question, assessment=assessment, given=given)

    def assess(self, *, context: InterviewContext, question: QuestionDraft, answer: str) -> Assessment:
        """The model's judgement, with quotes verified and the junk-answer guards applied in code."""
        baseline = self.fallback.assess(context=context, question=question, answer=answer)
        if baseline.quality in ("no_answer", "gibberish") or baseline.words < 3:
            turns.note("assess", "embedded")
            baseline.brain = "embedded (guard)"
            return baseline
        prompt = load_prompts()["assess"].format(
            question=question.text,
            key_points="\n".join(f"- {p}" for p in question.key_points),
            answer=_as_data(answer),
        )

        def parse(text: str) -> Assessment:
            data = _json(text)
            quality = data.get("quality")
            if quality not in _QUALITIES:
                raise InvalidOutput(f"quality must be one of {', '.join(_QUALITIES)}")
            return _verified_assessment(
                question=question, answer=answer, data=data, baseline=baseline, brain=self.name,
                prompt_version=self.prompt_version,
            )

        result, reason = self._structured(context, prompt, ASSESSMENT_SCHEMA, parse, max_tokens=ASSESSMENT_MAX_TOKENS)
        if result is None:
            turns.note("assess", "embedded", reason)
            baseline.brain = "embedded (fallback)"
            return baseline
        turns.note("assess", "model")
        return result

    def clarify(self, *, context: InterviewContext, question: QuestionDraft, request: str) -> str:
        """A narrower phrasing of the question."""
        prompt = load_prompts()["clarify"].format(
            language_name=language_name(context.language), question=question.text, request=_as_data(request)
        )
        text, reason = self._text(context, prompt, max_tokens=120)
        if text:
            try:
                clarified = _single_question(text, max_words=50)
                turns.note("clarify", "model")
                return clarified
            except InvalidOutput:
                reason = "invalid_output"
        turns.note("clarify", "embedded", reason or "invalid_output")
        return self.fallback.clarify(context=context, question=question, request=request)

    def answer_candidate_question(self, *, context: InterviewContext, text: str) -> str:
        """A short, honest answer with no question in it."""
        prompt = load_prompts()["candidate_question"].format(
            language_name=language_name(context.language), text=_as_data(text)
        )
        reply, reason = self._text(context, prompt, max_tokens=150)
        if not reply or "?" in reply or len(words(reply)) > 80:
            turns.note("candidate_question", "embedded", reason or "invalid_output")
            return self.fallback.answer_candidate_question(context=context, text=text)
        turns.note("candidate_question", "model")
        return reply

    def summarise(self, *, context: InterviewContext, facts: dict[str, Any]) -> str | None:
        """A narrative summary from the report's facts, or None to keep the built-in one."""
        prompt = load_prompts()["summary"].format(
            language_name=language_name(context.language), facts=json.dumps(facts, ensure_ascii=False)
        )
        text, _ = self._text(context, prompt, max_tokens=220)
        return text if text and len(words(text)) <= 120 else None

    def _messages(self, context: InterviewContext, prompt: str) -> list[ChatMessage]:
        system = load_prompts()["persona"].format(
            interviewer_name=context.interviewer_name, level=context.level, topic=context.topic,
            language_name=language_name(context.language),
        )
        return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=prompt)]

    def _deadline(self) -> float | None:
        """When the model's part of the turn in progress must be done (monotonic seconds); None outside a turn. The
        last `_FALLBACK_SHARE` of the budget is kept for the built-in brain's answer when the model runs out."""
        opened = turns.current()
        return None if opened is None else opened.started + self.budgets[opened.mode] * (1 - _FALLBACK_SHARE)

    def _text(self, context: InterviewContext, prompt: str, *, max_tokens: int) -> tuple[str, FallbackReason | None]:
        """The model's reply on one line, or "" and why not."""
        if self._sits_out():
            return "", "too_slow"
        messages = self._messages(context, prompt)
        deadline = self._deadline()
        try:
            completion = run_until(
                deadline, lambda: self.provider.complete(messages, max_tokens=max_tokens, deadline=deadline)
            )
        except OverBudget:
            log.warning("text step fell back to the embedded brain: over the turn's budget")
            return "", "over_budget"
        except ProviderError as error:
            log.warning("text step fell back to the embedded brain: %s", error)
            return "", _reason(error, deadline)
        return " ".join(completion.text.split()), None

    def _structured(
        self, context: InterviewContext, prompt: str, schema: dict[str, Any], parse: Callable[[str], T], *,
        max_tokens: int,
    ) -> tuple[T | None, FallbackReason | None]:
        """Runs a JSON step with one repair attempt, within the turn's budget; None and the reason mean: use the
        fallback."""
        if self._sits_out():
            return None, "too_slow"
        deadline = self._deadline()
        try:
            return run_until(deadline, lambda: self._attempts(context, prompt, schema, parse, max_tokens, deadline))
        except OverBudget:
            log.warning("%s ran over the turn's budget; falling back to the embedded brain", self.name)
            return None, "over_budget"

    def _attempts(
        self, context: InterviewContext, prompt: str, schema: dict[str, Any], parse: Callable[[str], T],
        max_tokens: int, deadline: float | None,
    ) -> tuple[T | None, FallbackReason | None]:
        messages = self._messages(context, prompt)
        reason: FallbackReason = "invalid_output"
        for attempt in range(2):
            tried = time.monotonic()
            said = ""
            try:
                completion = self.provider.complete(
                    messages, json_schema=schema, max_tokens=max_tokens, deadline=deadline
                )
                said = completion.text[:4000]
                return parse(completion.text), None
            except ProviderError as error:
                if error.kind != "bad_response":
                    log.warning("%s failed (%s); falling back to the embedded brain", self.name, error)
                    return None, _reason(error, deadline)
                problem, said = "the output was not valid JSON for the schema", (error.output or "")[:4000]
                reason = "bad_json" if error.output is not None else "provider_error"
            except BadJSON as error:
                problem, reason = str(error), "bad_json"
            except (InvalidOutput, ValueError, TypeError, AttributeError) as error:
                problem, reason = str(error), "invalid_output"
            log.info("invalid model output on attempt %d: %s", attempt + 1, problem)
            if deadline is not None and time.monotonic() + (time.monotonic() - tried) > deadline:
                break  # a repair would take as long again, and that time is not left
            repair = [ChatMessage(role="assistant", content=said)] if said else []
            messages = [
                *messages,
                *repair,
                ChatMessage(role="user", content=f"That output was invalid: {problem}. Return corrected JSON only."),
            ]
        return None, reason


# The built-in brain answers in a tenth of a second on its own, but a local model cut off mid-prompt keeps the cores
# busy until its next token (llama.cpp cancels only then): on two loaded cores that fallback took 1.3 s.
_FALLBACK_SHARE = 0.15


def _reason(error: ProviderError, deadline: float | None) -> FallbackReason:
    """Why a provider failure sent the step to the fallback: a timeout at the turn's deadline is the budget's."""
    if error.kind == "timeout" and deadline is not None and time.monotonic() >= deadline - 0.05:
        return "over_budget"
    if error.kind == "bad_response" and error.output is not None:
        return "bad_json"
    return "provider_error"


def _json(text: str) -> dict[str, Any]:
    """The JSON object in a model's output (tolerating a fenced code block)."""
    stripped = text.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", stripped, re.DOTALL)
    if fenced:
        stripped = fenced.group(1)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as error:
        raise BadJSON(f"not valid JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise BadJSON("expected a JSON object")
    return data


def _single_question(text: str, *, max_words: int) -> str:
    """The text if it is exactly one question of sensible length, else InvalidOutput."""
    text = " ".join(text.strip().strip('"').split())
    if text.count("?") != 1 or not text.endswith("?"):
        raise InvalidOutput("write exactly one question, ending with a single question mark")
    if len(words(text)) > max_words:
        raise InvalidOutput(f"keep it under {max_words} words")
    if looks_like_instruction(text):
        raise InvalidOutput("the question must not contain instructions")
    return text


def _as_data(text: str) -> str:
    """Candidate-supplied text with anything that could close the data block neutralised."""
    return text.replace("</data>", "</ data>").replace("<data>", "< data>")[:8000]


def _focus(context: InterviewContext, slot: Slot) -> str:
    if slot.source == "cv":
        return "Ask about something specific in the candidate's CV (a role, project or achievement), by name."
    if slot.source == "job":
        return "Ask how the candidate's experience meets one specific requirement of the job description."
    if slot.source == "behavioral":
        return "Ask a behavioral question that invites a STAR story (situation, task, action, result)."
    return f"Ask a {slot.kind.replace('_', ' ')} question about {slot.topic or context.topic}."


def _documents(context: InterviewContext, slot: Slot) -> str:
    parts = []
    profile = context.cv_profile or {}
    if profile and slot.source in ("cv", "bank", "template"):
        lines = []
        for job in (profile.get("experience") or [])[:4]:
            highlights = [h for h in job.get("highlights") or [] if not looks_like_instruction(h)][:3]
            lines.append(f"{job.get('role') or ''} at {job.get('company') or ''}: " + "; ".join(highlights))
        for project in (profile.get("projects") or [])[:3]:
            lines.append(f"Project {project.get('name') or ''}: {project.get('description') or ''}")
        skills = ", ".join((profile.get("skills") or [])[:20])
        parts.append("Candidate CV (data):\n<data>\n" + _as_data("\n".join(lines) + f"\nSkills: {skills}") + "\n</data>")
    if context.job_description and slot.source in ("job", "bank"):
        found = [r.text for r in requirements(context.job_description)[:8]]
        if slot.requirement:
            found = [slot.requirement, *[r for r in found if r != slot.requirement]]
        if found:
            parts.append("Job requirements (data; ask about the first):\n<data>\n" + _as_data("\n".join(found))
                         + "\n</data>")
    return "\n".join(parts)


def _verified_assessment(
    *, question: QuestionDraft, answer: str, data: dict[str, Any], baseline: Assessment, brain: str,
    prompt_version: int,
) -> Assessment:
    """The model's assessment with every quote checked verbatim; guards from code override the model."""
    quotes: dict[str, str] = {}
    unverified = 0
    for item in data.get("covered") or []:
        point, quote = str(item.get("point", "")), str(item.get("quote", "")).strip()
        match = next((p for p in question.key_points if p.strip().lower() == point.strip().lower()), None)
        if match and quote and quote in answer and not looks_like_instruction(quote):
            quotes.setdefault(match, quote)
        else:
            unverified += 1
    coverage = [Coverage(point=p, covered=p in quotes, span=quotes.get(p)) for p in question.key_points]
    quality: Quality = data["quality"]
    if signals.is_gibberish(answer):
        quality = "gibberish"
    if baseline.quality == "off_topic" and quality in ("strong", "adequate"):
        quality = "off_topic"
    note = str(data.get("note", ""))[:300]
    if unverified:
        note += f" ({unverified} claimed quote(s) were not in the answer and were dropped.)"
    model_grade = _model_grade(data, quality)
    grade, flag = guarded_grade(model_grade=model_grade, learned=baseline.grade)
    if flag:
        note += f" {flag}"
    quality = _quality_for(grade, quality)
    return Assessment(
        quality=quality,
        coverage=coverage,
        relevance=baseline.relevance,
        words=baseline.words,
        signals={**baseline.signals, "prompt_version": float(prompt_version)},
        misconceptions=[str(m)[:200] for m in data.get("misconceptions") or []][:5],
        note=note.strip(),
        grade=grade,
        model_grade=model_grade,
        brain=brain,
    )


# How far a model's grade may stray from the learned assessor's before the learned grade bounds it.
GUARD_DISTANCE = 1.5


def _model_grade(data: dict[str, Any], quality: Quality) -> float:
    """The model's 1-5 grade; its quality class stands in when it gave none."""
    grade = data.get("grade")
    if isinstance(grade, int | float) and not isinstance(grade, bool) and 1 <= grade <= 5:
        return float(grade)
    return {"strong": 4.5, "adequate": 3.3, "weak": 2.0}.get(quality, 1.0)


def guarded_grade(*, model_grade: float, learned: float | None) -> tuple[float, str]:
    """The grade kept for the report: the model's, within GUARD_DISTANCE of the learned assessor's grade; a model
    grade outside that band is bounded and flagged for the report's notes."""
    if learned is None:
        return model_grade, ""
    low, high = learned - GUARD_DISTANCE, learned + GUARD_DISTANCE
    if low <= model_grade <= high:
        return model_grade, ""
    bounded = min(max(model_grade, low), high)
    return round(bounded, 2), (
        f"The model graded this {model_grade:.0f}/5 but the learned assessor {learned:.1f}/5; the grade was bounded "
        f"to {bounded:.1f}."
    )


def _quality_for(grade: float, quality: Quality) -> Quality:
    """The quality class that matches a (guarded) grade; non-answers keep their class."""
    if quality in ("no_answer", "gibberish", "off_topic"):
        return quality
    return "strong" if grade >= 4.0 else "adequate" if grade >= 3.0 else "weak"

