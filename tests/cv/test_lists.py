import pytest

from mockroom.cv.lists import list_items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AWS (RDS, MSK, EKS), Python", ["AWS", "RDS", "MSK", "EKS", "Python"]),
        ("Microsoft Excel (pivot tables, VBA); SQL", ["Microsoft Excel", "pivot tables", "VBA", "SQL"]),
        ("pastry (laminated doughs, choux), butchery", ["pastry (laminated doughs, choux)", "butchery"]),
        ("English (native), Polish (C1), Go (5+ years)", ["English", "Polish", "Go"]),
        ("acupuncture (AACP) | hydrotherapy", ["acupuncture (AACP)", "hydrotherapy"]),
        ("Python, Go, and SQL", ["Python", "Go", "SQL"]),
        ("Python and R, Health and Safety", ["Python", "R", "Health and Safety"]),
        ("trauma care and major incident triage", ["trauma care", "major incident triage"]),
    ],
)
def test_list_items_keep_brackets_with_their_item(text: str, expected: list[str]):
    assert list_items(text=text) == expected


@pytest.mark.parametrize("text", ["AWS (RDS, MSK, EKS", "AWS RDS, MSK), EKS", "a (b (c, d), e", "((x, y)), z"])
def test_brackets_that_do_not_pair_never_leave_fragments(text: str):
    items = list_items(text=text)
    assert items
    assert all(item.count("(") == item.count(")") for item in items)
