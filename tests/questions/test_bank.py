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
