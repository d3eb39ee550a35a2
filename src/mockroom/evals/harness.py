"""The interviewer quality harness: simulated candidates of known quality, judged by an LLM.

A candidate LLM plays a strong, an average and a weak candidate through whole interviews run by
the configured brain; a judge LLM grades the interviewer on fixed criteria, code checks the rules
it can check itself, and the reports must rank the candidates in order of quality.
"""

import json
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mockroom.brains.base import Brain
from mockroom.db.engine import Database, migrate
from mockroom.interviews import service
from mockroom.interviews.schemas import InterviewCreate
from mockroom.providers.llm.base import ChatMessage, LLMProvider, ProviderError

CRITERIA = (
    "one_question_per_turn", "no_repeats", "follow_ups_reference_answer", "no_leaked_answers",
    "no_praise_for_wrong_answers", "correct_ending",
)
QUALITIES = ("strong", "average", "weak")
MAX_TURNS = 60
_JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "criteria": {
            "type": "object",
            "properties": {
                name: {
                    "type": "object",
                    "properties": {"met": {"type": "boolean"}, "reason": {"type": "string"}},
                    "required": ["met", "reason"],
                }
                for name in CRITERIA
            },
            "required": list(CRITERIA),
        }
    },
    "required": ["criteria"],
}


@cache
def _prompts() -> dict[str, Any]:
    with (Path(__file__).parent / "prompts.yaml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@dataclass
class EvalRun:
    """One simulated interview and its grades."""

    topic: str
    quality: str
    overall_score: int
    recommendation: str
    criteria: dict[str, bool] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    turns: int = 0


@dataclass
class EvalResult:
    runs: list[EvalRun]
    ranking_ok: dict[str, bool]

    def table(self) -> str:
        """A plain-text table: one row per run, one column per criterion, then the ranking check."""
        short = {c: c.split("_")[0][:6] for c in CRITERIA}
        header = f"{'topic':<22} {'candidate':<9} {'score':>5} {'verdict':<17} " + " ".join(
            f"{short[c]:>6}" for c in CRITERIA
        )
        lines = [header, "-" * len(header)]
        for run in self.runs:
            marks = " ".join(f"{'yes' if run.criteria.get(c) else 'NO':>6}" for c in CRITERIA)
            lines.append(f"{run.topic[:22]:<22} {run.quality:<9} {run.overall_score:>5} {run.recommendation:<17} {marks}")
        met = sum(run.criteria.get(c, False) for run in self.runs for c in CRITERIA)
        total = len(self.runs) * len(CRITERIA)
        lines.append("-" * len(header))
        lines.append(f"criteria met: {met}/{total} ({100 * met / max(1, total):.0f}%)")
        for topic, ok in self.ranking_ok.items():
            lines.append(f"report ranks strong > average > weak on {topic}: {'yes' if ok else 'NO'}")
        return "\n".join(lines)


def _candidate_reply(provider: LLMProvider, *, topic: str, level: str, quality: str, message: str) -> str:
    prompts = _prompts()
    prompt = prompts["candidate"].format(
        topic=topic, level=level, quality=quality, quality_instruction=prompts["qualities"][quality], message=message
    )
    try:
        return provider.complete([ChatMessage(role="user", content=prompt)], max_tokens=200, temperature=0.7).text.strip()
    except ProviderError:
        return ""


def _code_checks(messages: list[dict[str, Any]]) -> dict[str, bool]:
    """The criteria code can check exactly, which override the judge."""
    interviewer = [m for m in messages if m["role"] == "interviewer"]
    questions = [m["text"] for m in interviewer if m["move"] in ("question", "probe", "challenge", "hint")]
    return {
        "one_question_per_turn": all(m["text"].count("?") <= 1 for m in interviewer),
        "no_repeats": len(questions) == len(set(questions)),
        "correct_ending": bool(interviewer)
        and interviewer[-1]["move"] == "close"
        and any(m["move"] == "candidate_questions" for m in interviewer),
    }


def _judge(provider: LLMProvider, messages: list[dict[str, Any]]) -> tuple[dict[str, bool], dict[str, str]]:
    transcript = "\n".join(f"{m['role'].upper()}: {m['text']}" for m in messages)
    prompt = _prompts()["judge"].format(transcript=transcript[:30000])
    try:
        completion = provider.complete(
            [ChatMessage(role="user", content=prompt)], json_schema=_JUDGE_SCHEMA, max_tokens=800, temperature=0
        )
        graded = json.loads(completion.text)["criteria"]
        met = {c: bool(graded[c]["met"]) for c in CRITERIA}
        reasons = {c: str(graded[c].get("reason", "")) for c in CRITERIA}
    except (ProviderError, ValueError, KeyError, TypeError) as error:
        met = dict.fromkeys(CRITERIA, False)
        reasons = dict.fromkeys(CRITERIA, f"judge failed: {error}")
    return met, reasons


def run_eval(
    *, brain: Brain, candidate: LLMProvider, judge: LLMProvider, topics: list[str], level: str = "intermediate",
    duration_minutes: int = 10, database_url: str | None = None,
) -> EvalResult:
    """Runs every quality of candidate through an interview on every topic and grades them."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(database_url or f"sqlite:///{tmp}/eval.db")
        migrate(db.engine)
        runs: list[EvalRun] = []
        for topic in topics:
            for quality in QUALITIES:
                runs.append(_one_run(db, brain, candidate, judge, topic, level, quality, duration_minutes))
        db.engine.dispose()
    ranking = {}
    for topic in topics:
        score = {r.quality: r.overall_score for r in runs if r.topic == topic}
        ranking[topic] = score["strong"] > score["average"] > score["weak"]
    return EvalResult(runs=runs, ranking_ok=ranking)


def _one_run(db, brain, candidate, judge, topic, level, quality, duration_minutes) -> EvalRun:  # type: ignore[no-untyped-def]
    request = InterviewCreate(topic=topic, level=level, duration_minutes=duration_minutes)
    interview = service.create(db=db, brain=brain, request=request, cv=None)
    last = interview.messages[-1].text
    turns = 0
    while turns < MAX_TURNS:
        reply = _candidate_reply(candidate, topic=topic, level=level, quality=quality, message=last)
        result = service.answer(db=db, brain=brain, interview_id=interview.id, text=reply)
        turns += 1
        last = result.reply.text
        if result.interview.status == "finished":
            break
    finished = service.end(db=db, brain=brain, interview_id=interview.id)
    messages = [{"role": m.role, "text": m.text, "move": m.move} for m in finished.messages]
    met, reasons = _judge(judge, messages)
    for name, ok in _code_checks(messages).items():
        if met[name] != ok:
            reasons[name] = f"checked in code: {'met' if ok else 'not met'} (judge said {met[name]})"
        met[name] = ok
    report = finished.report or {}
    return EvalRun(
        topic=topic, quality=quality, overall_score=int(report.get("overall_score", 0)),
        recommendation=str(report.get("recommendation", "")), criteria=met, reasons=reasons, turns=turns,
    )
