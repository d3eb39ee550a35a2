import pytest

from mockroom.questions.matching import match_topics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python backend", {"python"}),
        ("React and Node.js", {"react", "nodejs"}),
        ("growth marketing for startups", {"digital-marketing"}),
        ("engineering management", {"leadership"}),
        ("Kubernetes", {"devops-kubernetes"}),
        ("postgres query tuning", {"sql-databases"}),
        ("B2B sales", {"sales"}),
    ],
)
def test_free_text_topics_map_to_bank_topics(text, expected):
    assert expected <= {m.slug for m in match_topics(text)}


def test_a_topic_outside_the_bank_matches_nothing():
    assert match_topics("underwater basket weaving") == []
