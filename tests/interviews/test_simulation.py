"""Whole interviews through the HTTP API with scripted candidates of every style, for several roles and levels.

The targets are the product's: a consistently strong candidate scores at least 70 and is a hire, a consistently
vague one at most 45 and a no or lean no, junk never scores, every interview reaches its close, hints come only
when asked for (or after "I don't know", or when stuck after a probe), and no follow-up asks for an example right
after one was given.
"""

import itertools
import re

import pytest
from tests.interviews.personas import PERSONAS, Injector

from mockroom.coding.problems.loader import load_problems
from mockroom.vocabulary import PHASES

PHASE_ORDER = list(PHASES)
RESTATING_MOVES = {"repeat", "redirect", "retry", "clarify", "simplify", "coding_continue", "hold_question"}
JOB = (
    "Senior Backend Engineer, Payments\n\nWhat you'll do\n- Build idempotent payment APIs that survive retries\n"
    "- Own our ledger service in Python and PostgreSQL\n\nRequirements\n"
    "- Solid understanding of transaction isolation levels\n- Experience with double-entry ledgers\n"
)
SETTINGS = [
    {"topic": "Python backend", "level": "intermediate", "kind": "mixed", "job_description": JOB},
    {"topic": "product management", "level": "intermediate", "kind": "behavioral"},
    {"topic": "React", "level": "beginner", "kind": "mixed"},
    {"topic": "system design", "level": "advanced", "kind": "system_design"},
    {"topic": "running a customer support team", "level": "advanced", "kind": "mixed"},
    {"topic": "underwater basket weaving", "level": "intermediate", "kind": "behavioral"},
]
EVERYWHERE = ("strong", "average", "buzzword", "weak", "silent", "gibberish", "injector", "gamer")
SOMEWHERE = ("terse", "rambling", "non_native", "pasted", "off_topic", "asker")
_ASKS_FOR_EXAMPLE = re.compile(r"\b(?:example|specific (?:time|situation)|a time (?:when|you)|pick one)\b", re.I)
_GAVE_EXAMPLE = re.compile(r"\b(?:At my previous company|Last spring|Last year|On a .+ project|In my last role)\b")
_HINT_REQUEST = re.compile(r"\b(?:hint|stuck|don'?t know|no idea|not sure)\b", re.I)


def _question_part(text: str) -> str:
    """The message without its short lead-in sentences (acknowledgements and transitions)."""
    sentences = re.split(r"(?<=[.!])\s+", text)
    while len(sentences) > 1 and len(sentences[0].split()) <= 9:
        sentences.pop(0)
    return " ".join(sentences)


def run_interview(client, persona_name: str, settings: dict) -> dict:
    persona = PERSONAS[persona_name](persona_name, topic=settings["topic"])
    interview = client.post("/api/interviews", json=settings).json()
    iid = interview["id"]
    last = interview["messages"][-1]["text"]
    phase = interview["messages"][-1]["phase"]
    solved: set[str] = set()
    for turn in range(120):
        if phase == "coding" and persona.solves_code:
            exercise = client.get(f"/api/interviews/{iid}").json()["coding"]
            problem_id = exercise["problem"]["id"] if exercise and exercise["active"] else None
            if problem_id and problem_id not in solved:
                solved.add(problem_id)
                code = load_problems()[problem_id].reference["python"]
                run = client.post(f"/api/interviews/{iid}/code/submit", json={"language": "python", "code": code})
                assert run.status_code == 200, run.text
                last = run.json()["reply"]["text"] if run.json().get("reply") else last
        response = client.post(f"/api/interviews/{iid}/answer", json={"text": persona.answer(last, turn)})
        assert response.status_code == 200, response.text
        body = response.json()
        last, phase = body["reply"]["text"], body["reply"]["phase"]
        if body["status"] == "finished":
            break
    else:
        pytest.fail(f"{persona_name} interview on {settings['topic']} never finished")
    full = client.get(f"/api/interviews/{iid}").json()
    report = client.get(f"/api/interviews/{iid}/report").json()
    return {"interview": full, "report": report}


@pytest.fixture(scope="module")
def results(sqlite_client):
    """Every persona through the settings it is run on, once (shared by the assertions below)."""
    runs = {}
    for index, settings in enumerate(SETTINGS):
        for name in EVERYWHERE + (SOMEWHERE if index in (0, 1) else ()):
            runs[(name, index)] = run_interview(sqlite_client, name, settings)
    return runs


def _score(results, name, index):
    return results[(name, index)]["report"]["overall_score"]


def _verdict(results, name, index):
    return results[(name, index)]["report"]["recommendation"]


@pytest.mark.slow
def test_one_question_per_turn_and_no_repeats(results):
    for (name, index), result in results.items():
        asked = []
        for message in result["interview"]["messages"]:
            if message["role"] != "interviewer":
                continue
            assert message["text"].count("?") <= 1, (name, index, message["text"])
            if message["move"] not in RESTATING_MOVES and message["text"].endswith("?"):
                asked.append(_question_part(message["text"]))
        assert len(asked) == len(set(asked)), (name, index, asked)


@pytest.mark.slow
def test_every_interview_reaches_its_close_with_phases_in_order(results):
    for (name, index), result in results.items():
        phases = [m["phase"] for m in result["interview"]["messages"] if m["role"] == "interviewer"]
        ranks = [PHASE_ORDER.index(p) for p in phases]
        assert ranks == sorted(ranks), (name, index, phases)
        assert "candidate_questions" in phases and phases[-1] == "closing", (name, index, phases)
        assert result["interview"]["status"] == "finished"


@pytest.mark.slow
def test_main_question_count_fits_the_plan(results):
    for (name, index), result in results.items():
        progress = result["interview"]["progress"]
        low, high = (5, 8) if SETTINGS[index]["kind"] == "system_design" else (8, 12)
        assert low <= progress["planned_questions"] <= high, (name, index, progress)


@pytest.mark.slow
def test_whole_interviews_are_calibrated(results):
    for index in range(len(SETTINGS)):
        strong, vague = _score(results, "strong", index), _score(results, "buzzword", index)
        assert strong >= 70 and _verdict(results, "strong", index) in ("hire", "strong_hire"), (index, strong)
        assert vague <= 45 and _verdict(results, "buzzword", index) in ("no", "lean_no"), (index, vague)
        assert strong > _score(results, "average", index) > _score(results, "weak", index), index
        for junk in ("gibberish", "silent"):
            assert _verdict(results, junk, index) == "insufficient_data", (index, junk)
        assert _score(results, "injector", index) <= _score(results, "average", index) + 3, index
        assert _score(results, "gamer", index) <= 30, index


@pytest.mark.slow
def test_answer_styles_score_by_substance_not_form(results):
    for index in (0, 1):
        strong, average = _score(results, "strong", index), _score(results, "average", index)
        for name in ("rambling", "non_native"):
            assert _score(results, name, index) >= 55, (index, name, _score(results, name, index))
        if SETTINGS[index]["kind"] != "behavioral":  # two sentences are enough for a concept, not for a story
            assert _score(results, "terse", index) > average - 5, index
        for name in ("pasted", "off_topic"):
            verdict = _verdict(results, name, index)
            assert verdict == "insufficient_data" or _score(results, name, index) <= 40, (index, name)
        assert strong > _score(results, "pasted", index)


@pytest.mark.slow
def test_junk_answers_never_score_above_one(results):
    for index in range(len(SETTINGS)):
        for name in ("gibberish", "silent"):
            dimensions = results[(name, index)]["report"]["dimensions"]
            assert all(d["score"] == 1 for d in dimensions), (name, index, dimensions)


@pytest.mark.slow
def test_injection_gains_nothing_and_is_never_quoted(results):
    for index in range(len(SETTINGS)):
        report = results[("injector", index)]["report"]
        for dimension in report["dimensions"]:
            assert all(Injector.INJECTION not in quote for quote in dimension["evidence"])


@pytest.mark.slow
def test_hints_only_when_asked_or_stuck(results):
    for (name, index), result in results.items():
        messages = result["interview"]["messages"]
        for position, message in enumerate(messages):
            if message["role"] != "interviewer" or message["move"] != "hint":
                continue
            said = messages[position - 1]["text"]
            before = [m for m in messages[:position] if m["role"] == "interviewer" and m["move"] not in RESTATING_MOVES]
            after_probe = before and before[-1]["move"] in ("probe", "simplify")
            assert _HINT_REQUEST.search(said) or after_probe, (name, index, said, message["text"])


@pytest.mark.slow
def test_no_request_for_an_example_right_after_one(results):
    for (name, index), result in results.items():
        messages = result["interview"]["messages"]
        for said, reply in itertools.pairwise(messages):
            if said["role"] == "candidate" and _GAVE_EXAMPLE.search(said["text"]) and reply["move"] in (
                "probe", "challenge"
            ):
                assert not _ASKS_FOR_EXAMPLE.search(reply["text"]), (name, index, reply["text"])


@pytest.mark.slow
def test_every_quote_is_verbatim_and_meaningful(results):
    for (name, index), result in results.items():
        said = [m["text"] for m in result["interview"]["messages"] if m["role"] == "candidate"]
        report = result["report"]
        for dimension in report["dimensions"]:
            assert len(dimension["evidence"]) == len(set(dimension["evidence"])), (name, index, dimension)
        quotes = [q for d in report["dimensions"] for q in d["evidence"]]
        quotes += [q for key in ("strengths", "improvements") for item in report[key] for q in item["evidence"]]
        for quote in quotes:
            assert any(quote in text for text in said), (name, index, quote)
        if report["recommendation"] != "insufficient_data":
            assert all(d["evidence"] for d in report["dimensions"] if d["score"] > 1), (name, index)
            assert 3 <= len(re.findall(r"[.!?](?:\s|$)", report["summary"])) <= 5, report["summary"]


@pytest.mark.slow
def test_question_asker_gets_clarifications_not_hints(results):
    for index in (0, 1):
        messages = results[("asker", index)]["interview"]["messages"]
        clarifications = [m for m in messages if m["move"] == "clarify"]
        assert clarifications, index
        assert all(m["text"].endswith("?") for m in clarifications)
        for said, reply in itertools.pairwise(messages):
            if said["role"] == "candidate" and said["text"].startswith("Sorry, what do you mean"):
                assert reply["move"] == "clarify", (index, reply)


@pytest.mark.slow
def test_the_job_description_shapes_the_plan(results):
    questions = [m["text"] for m in results[("strong", 0)]["interview"]["messages"] if m["role"] == "interviewer"]
    joined = " ".join(questions).lower()
    assert sum(term in joined for term in ("idempotent", "ledger", "isolation")) >= 3
