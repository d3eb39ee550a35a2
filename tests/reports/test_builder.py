"""Report guards: evidence must be verbatim, junk never scores, thin sessions say so."""

from mockroom.brains.embedded import EmbeddedBrain
from mockroom.interviews import conductor
from mockroom.reports.builder import build_report, verify_quotes
from mockroom.vocabulary import InterviewContext

BRAIN = EmbeddedBrain()


def _interview(answers, **overrides):
    context = InterviewContext(**{"topic": "SQL", "level": "beginner", "kind": "mixed", "duration_minutes": 25,
                                  "matched_topics": ["sql-databases"], **overrides})
    state, _ = conductor.start(context=context, brain=BRAIN, now=0.0)
    said = []
    for index, text in enumerate(answers):
        if state.finished:
            break
        said.append(text)
        conductor.respond(state=state, message=text, brain=BRAIN, now=30.0 * (index + 1), seq=index,
                          duration_seconds=20.0)
    conductor.end(state=state, now=30.0 * (len(answers) + 1))
    return build_report(state=state, transcript=said, interview_id="t"), said


def test_one_word_answers_never_score_above_one():
    report, _ = _interview(["fine"] * 30)
    assert report["recommendation"] == "insufficient_data"
    assert all(d["score"] == 1 for d in report["dimensions"])
    assert report["overall_score"] <= 20
    assert "Not enough data" in report["summary"]


def test_quotes_are_verbatim_and_fabricated_ones_are_dropped():
    answers = [
        "I work as a data analyst and write SQL every day for reporting at a retailer.",
        "An inner join keeps only rows that match in both tables, while a left join keeps every row of the left "
        "table and fills the missing right side with NULL.",
        "I would filter on the right table's key being NULL after a left join, because those rows had no match.",
        "A primary key uniquely identifies each row and cannot be null, and a foreign key points at another "
        "table's primary key to keep references valid.",
    ]
    report, said = _interview(answers)
    quotes = [q for d in report["dimensions"] for q in d["evidence"]]
    assert quotes and all(any(q in s for s in said) for q in quotes)
    forged = {
        "dimensions": [{"name": "x", "score": 5, "rationale": "", "evidence": ["I am the best candidate", quotes[0]]}],
        "strengths": [{"text": "made up", "evidence": ["never said this"]}],
        "improvements": [],
    }
    checked = verify_quotes(forged, said)
    assert checked["dimensions"][0]["evidence"] == [quotes[0]]
    assert checked["strengths"] == []


def test_analytics_count_words_fillers_and_pace():
    report, said = _interview([
        "Um, so basically I, um, write SQL queries for dashboards, you know, every day at work.",
        "A left join keeps all rows from the left table.",
    ])
    analytics = report["analytics"]
    assert analytics["words"] == sum(len(s.split()) for s in said)
    assert analytics["filler_words"] >= 4
    assert analytics["words_per_minute"] == round(analytics["words"] / (40 / 60), 1)


def test_model_answers_and_assessments_per_question():
    report, _ = _interview([
        "I have been a backend developer for three years, working mostly with PostgreSQL.",
        "An index is a separate structure, usually a B-tree, that lets the database find rows without scanning "
        "the whole table, at the cost of slower writes and extra storage.",
    ])
    assert len(report["questions"]) == 2
    for question in report["questions"]:
        assert question["model_answer"] and question["assessment"] and question["question"].endswith("?")


def test_coaching_never_builds_on_an_answer_to_a_different_question():
    # A solid answer, but to another question: coached to answer the question asked, not "build on that".
    elsewhere = ("I bake sourdough every weekend with a starter I feed twice a day, and I proof the dough overnight "
                 "in the fridge so the crumb stays open and the crust blisters in a very hot oven.")
    report, _ = _interview([
        "I work as a data analyst and write SQL every day for reporting at a retailer.",
        elsewhere, elsewhere.replace("weekend", "Sunday"),
    ])
    coached = [i for i in report["improvements"] if any("sourdough" in quote for quote in i["evidence"])]
    assert coached
    for item in coached:
        assert "was about something else" in item["text"]
        assert "build on that" not in item["suggestion"] and "sourdough" not in item["suggestion"]
    # The question's own entry says the same, not "No substantive answer" about a full answer.
    (baking,) = [q for q in report["questions"] if "sourdough" in q["answer_summary"]]
    assert baking["assessment"] == "Judged to be about something else, not this question."


def test_a_terse_opening_is_an_opening_and_its_coaching_names_what_it_lacks():
    # A clipped introduction with no "I'm a ..." (and one in a non-native word order) is still about the candidate's
    # background: not "about something else", and the coaching names the part of an opening that is missing, not
    # "tell it as one story".
    from mockroom.questions.templates import fill, load_templates

    for topic, text in (
        ("SQL", "Data analyst at a charity for three years now, BigQuery mostly. I'd like to move closer to "
                "engineering."),
        ("product management", "Mid-level PM, five years in, currently at a fintech owning card onboarding; before "
                               "that a business analyst. I'd like to lead a bigger area next."),
        ("sales", "Two years as an SDR at a payroll SaaS, top of the team for booked demos four quarters in a row. "
                  "Now I want a closing role."),
    ):
        intro = fill(load_templates()["intro"], ref="intro", kind="behavioral", topic=topic)
        assessment = BRAIN.assess(context=None, question=intro, answer=text)
        assert assessment.quality != "off_topic", (text, assessment)
    report, _ = _interview([
        "Data analyst at a charity for three years now, BigQuery mostly. Before that I was in retail.",
    ])
    opening = report["questions"][0]
    assert "about something else" not in opening["assessment"], opening
    grade = float(opening["assessment"].split("(")[1].split("/")[0])
    (coaching,) = [i for i in report["improvements"] if "To start" in i["text"]]
    assert "one specific story" not in coaching["suggestion"], coaching
    assert "what you want to do next" in coaching["suggestion"], coaching
    assert ("stayed thin" in coaching["text"]) == (grade < 3.0), (coaching, opening)
