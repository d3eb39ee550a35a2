from mockroom.questions.bank import load_bank
from mockroom.questions.schema import LEVELS


def test_bank_loads_and_every_topic_covers_every_level():
    bank = load_bank()
    assert len(bank) >= 30
    for topic in bank.values():
        for level in LEVELS:
            assert sum(q.level == level for q in topic.questions) >= 4, (topic.topic, level)


def test_question_texts_are_unique_across_the_bank():
    texts = [q.text.lower() for topic in load_bank().values() for q in topic.questions]
    assert len(texts) == len(set(texts))


def test_every_question_has_natural_hints_that_do_not_recite_the_rubric():
    for topic in load_bank().values():
        for question in topic.questions:
            assert question.hints, question.id
            for hint in question.hints:
                assert hint[0].isupper() and hint.rstrip()[-1] in ".?!", (question.id, hint)
                assert not any(point.lower() in hint.lower() for point in question.key_points), (question.id, hint)


def test_follow_ups_are_tied_to_key_points():
    follow_ups = [f for t in load_bank().values() for q in t.questions for f in q.follow_ups]
    tied = [f for f in follow_ups if f.point is not None]
    assert len(tied) / len(follow_ups) > 0.8
    assert {f.when for f in tied} == {"covered", "missed", "any"}


def test_behavioral_questions_fit_every_role_family_and_leadership_ones_are_marked():
    questions = load_bank()["behavioral"].questions
    for question in questions:
        assert set(question.model_answers) == {"engineering", "data", "business", "people", "general"}, question.id
    manager_only = [q for q in questions if q.audience == "manager"]
    assert 2 <= len(manager_only) <= len(questions) // 3
    assert all("led an organisation" not in q.text or q.audience == "manager" for q in questions)
