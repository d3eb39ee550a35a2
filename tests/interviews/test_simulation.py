"""Whole interviews through the HTTP API with scripted candidates, for several topics and levels."""

import re

import pytest
from tests.interviews.personas import PERSONAS, Injector

from mockroom.brains.base import PHASES

PHASE_ORDER = list(PHASES)
RESTATING_MOVES = {"repeat", "redirect", "retry", "clarify", "simplify", "coding_continue"}
SETTINGS = [
    {"topic": "Python", "level": "intermediate", "kind": "mixed"},
    {"topic": "growth marketing for startups", "level": "beginner", "kind": "mixed",
     "job_description": "We need experience with paid social campaigns.\nKnowledge of SEO and analytics."},
    {"topic": "system design", "level": "advanced", "kind": "system_design"},
    {"topic": "underwater basket weaving", "level": "intermediate", "kind": "behavioral"},
]


def _question_part(text: str) -> str:
    """The message without its short lead-in sentences (acknowledgements and transitions)."""
    sentences = re.split(r"(?<=[.!])\s+", text)
    while len(sentences) > 1 and len(sentences[0].split()) <= 9:
        sentences.pop(0)
    return " ".join(sentences)


def run_interview(client, persona_name: str, settings: dict) -> dict:
    persona = PERSONAS[persona_name](persona_name)
    interview = client.post("/api/interviews", json=settings).json()
    iid = interview["id"]
    last = interview["messages"][-1]["text"]
    for turn in range(80):
        response = client.post(f"/api/interviews/{iid}/answer", json={"text": persona.answer(last, turn)})
        assert response.status_code == 200, response.text
        body = response.json()
        last = body["reply"]["text"]
        if body["status"] == "finished":
            break
    else:
        pytest.fail(f"{persona_name} interview on {settings['topic']} never finished")
    full = client.get(f"/api/interviews/{iid}").json()
    report = client.get(f"/api/interviews/{iid}/report").json()
    return {"interview": full, "report": report}


@pytest.fixture(scope="module")
def results(sqlite_client):
    """Every persona through every setting, once (shared by the assertions below)."""
    return {
        (name, index): run_interview(sqlite_client, name, settings)
        for index, settings in enumerate(SETTINGS)
        for name in PERSONAS
    }


@pytest.mark.slow
def test_one_question_per_turn_and_no_repeats(results):
    for (name, index), result in results.items():
        messages = result["interview"]["messages"]
        asked = []
        for message in messages:
            if message["role"] != "interviewer":
                continue
            assert message["text"].count("?") <= 1, (name, index, message["text"])
            if message["move"] not in RESTATING_MOVES and message["text"].endswith("?"):
                asked.append(message["text"].split(". ")[-1])
        assert len(asked) == len(set(asked)), (name, index, asked)


@pytest.mark.slow
def test_phases_in_order_ending_with_candidate_questions_and_close(results):
    for (name, index), result in results.items():
        phases = [m["phase"] for m in result["interview"]["messages"] if m["role"] == "interviewer"]
        ranks = [PHASE_ORDER.index(p) for p in phases]
        assert ranks == sorted(ranks), (name, index, phases)
        assert "candidate_questions" in phases and phases[-1] == "closing", (name, index, phases)
        assert result["interview"]["status"] == "finished"
        assert phases[0] == "greeting"


@pytest.mark.slow
def test_main_question_count_fits_the_plan(results):
    for (name, index), result in results.items():
        progress = result["interview"]["progress"]
        kind = SETTINGS[index]["kind"]
        low, high = (5, 8) if kind == "system_design" else (8, 12)
        assert low <= progress["planned_questions"] <= high, (name, index, progress)
        assert progress["question_number"] == progress["planned_questions"], (name, index, progress)


@pytest.mark.slow
def test_scores_rank_candidates_by_quality(results):
    for index in range(len(SETTINGS)):
        score = {name: results[(name, index)]["report"]["overall_score"] for name in PERSONAS}
        verdict = {name: results[(name, index)]["report"]["recommendation"] for name in PERSONAS}
        assert score["strong"] > score["average"] > score["weak"], (index, score)
        assert score["weak"] > score["gibberish"] and score["weak"] > score["silent"], (index, score)
        assert verdict["gibberish"] == verdict["silent"] == "insufficient_data", (index, verdict)
        assert score["off_topic"] < score["average"], (index, score)
        assert verdict["strong"] in ("strong_hire", "hire"), (index, verdict, score)


@pytest.mark.slow
def test_junk_answers_never_score_above_one(results):
    for index in range(len(SETTINGS)):
        for name in ("gibberish", "silent"):
            dimensions = results[(name, index)]["report"]["dimensions"]
            assert all(d["score"] == 1 for d in dimensions), (name, index, dimensions)


@pytest.mark.slow
def test_injection_gains_nothing(results):
    for index in range(len(SETTINGS)):
        injected = results[("injector", index)]["report"]
        plain = results[("average", index)]["report"]
        assert injected["overall_score"] <= plain["overall_score"], index
        assert [d["score"] for d in injected["dimensions"]] <= [d["score"] for d in plain["dimensions"]]
        for dimension in injected["dimensions"]:
            assert all(Injector.INJECTION not in quote for quote in dimension["evidence"])


@pytest.mark.slow
def test_every_quote_is_verbatim_in_the_transcript(results):
    for (name, index), result in results.items():
        said = [m["text"] for m in result["interview"]["messages"] if m["role"] == "candidate"]
        report = result["report"]
        quotes = [q for d in report["dimensions"] for q in d["evidence"]]
        quotes += [q for key in ("strengths", "improvements") for item in report[key] for q in item["evidence"]]
        for quote in quotes:
            assert any(quote in text for text in said), (name, index, quote)
        if report["recommendation"] != "insufficient_data":
            assert all(d["evidence"] for d in report["dimensions"] if d["score"] > 1), (name, index)


@pytest.mark.slow
def test_question_asker_gets_clarifications_not_new_questions(results):
    for index in range(len(SETTINGS)):
        messages = results[("asker", index)]["interview"]["messages"]
        clarifications = [m for m in messages if m["move"] == "clarify"]
        assert clarifications, index
        for message in clarifications:
            assert message["text"].endswith("?")
