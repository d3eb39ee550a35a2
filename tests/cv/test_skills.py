from mockroom.cv.skills import canonical_skill, find_skills, is_skill_label, load_skills


def test_vocabulary_is_broad_and_every_spelling_resolves():
    index = load_skills()
    names = set(index.canonical.values())
    assert len(names) >= 400
    for expected in ("Python", "Kubernetes", "Tableau", "Salesforce", "Figma", "Financial Modeling", "Recruiting"):
        assert expected in names


def test_aliases_and_versions_map_to_canonical_names():
    assert canonical_skill("golang") == "Go"
    assert canonical_skill("k8s") == "Kubernetes"
    assert canonical_skill("Postgres") == "PostgreSQL"
    assert canonical_skill("python 3.11") == "Python"
    assert canonical_skill("basket weaving") is None
    assert canonical_skill("SAP2000") is None  # a product name, not SAP version 2000


def test_prose_matching_respects_symbols_and_word_boundaries():
    text = "Shipped C++ and C# services, a Node.js API, JavaScript (not Java-only) front ends and ASP.NET apps."
    assert find_skills(text) == ["C++", "C#", "Node.js", "JavaScript", "Java", "ASP.NET"]


def test_case_and_list_only_skills_stay_out_of_ordinary_prose():
    assert find_skills("we react to incidents, excel at R&D and go live weekly") == []
    assert find_skills("Built the front end in React and the reports in Excel") == ["React", "Excel"]


def test_labels_inside_skills_sections_are_recognised():
    assert is_skill_label("Programming Languages:")
    assert not is_skill_label("Python")
