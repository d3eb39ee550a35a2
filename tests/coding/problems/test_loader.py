"""The loader: resolving tests, the candidate's view, choosing a problem, validation and output comparison."""

from pathlib import Path

import pytest
import yaml

from mockroom.coding.problems import loader


def _problem_with_generated_tests() -> str:
    return next(p.id for p in loader.load_problems().values() if any(t.generate for t in p.hidden_tests))


def test_problems_are_cached_and_keyed_by_id():
    problems = loader.load_problems()
    assert loader.load_problems() is problems
    assert all(key == problem.id for key, problem in problems.items())


def test_tests_for_lists_visible_then_hidden_with_generated_inputs_resolved():
    problem = loader.load_problems()[_problem_with_generated_tests()]
    visible = loader.tests_for(problem, include_hidden=False)
    everything = loader.tests_for(problem, include_hidden=True)
    assert [t.name for t in visible] == [f"visible-{i}" for i in range(1, len(problem.visible_tests) + 1)]
    assert everything[: len(visible)] == visible
    assert not any(t.hidden for t in visible) and all(t.hidden for t in everything[len(visible) :])
    generated = [t for t in everything if t.generated]
    assert len(generated) == sum(t.generate is not None for t in problem.hidden_tests)
    for test in generated:
        assert test.input and test.output is not None
        assert loader.outputs_match(problem.compare, test.output, loader.run_reference(problem, test.input))
    again = [t for t in loader.tests_for(problem, include_hidden=True) if t.generated]
    assert all(a.input[k] is b.input[k] for a, b in zip(generated, again, strict=True) for k in a.input), "made once"


def test_public_view_hides_hidden_tests_hints_complexity_and_references():
    for problem in loader.load_problems().values():
        view = loader.public_view(problem)
        dumped = view.model_dump_json()
        assert len(view.visible_tests) == len(problem.visible_tests)
        assert view.hint_count == 3
        assert not {"hidden_tests", "hints", "reference", "complexity"} & view.model_dump().keys()
        assert problem.reference["python"].strip() not in dumped
        assert all(hint not in dumped for hint in problem.hints)


@pytest.mark.parametrize(
    ("level", "difficulties"),
    [("beginner", {"easy"}), ("intermediate", {"medium"}), ("advanced", {"hard"})],
)
def test_choose_problem_matches_the_level(level: str, difficulties: set[str]):
    chosen = {loader.choose_problem(level=level, seed=seed).difficulty for seed in range(20)}
    assert chosen == difficulties


def test_choose_problem_is_deterministic_but_varies_with_the_seed():
    first = loader.choose_problem(level="intermediate", seed=7)
    assert loader.choose_problem(level="intermediate", seed=7) is first
    assert len({loader.choose_problem(level="intermediate", seed=s).id for s in range(30)}) >= 5


def test_choose_problem_prefers_the_categories_and_skips_excluded():
    for seed in range(10):
        problem = loader.choose_problem(level="intermediate", categories=["graphs"], seed=seed)
        assert "graphs" in problem.categories and problem.difficulty == "medium"
    graphs = {p.id for p in loader.load_problems().values() if "graphs" in p.categories and p.difficulty == "medium"}
    fallback = loader.choose_problem(level="intermediate", categories=["graphs"], exclude=graphs)
    assert fallback.difficulty == "medium" and fallback.id not in graphs


def test_choose_problem_falls_back_to_another_difficulty_then_gives_up():
    problems = loader.load_problems().values()
    mediums = {p.id for p in problems if p.difficulty == "medium"}
    assert loader.choose_problem(level="intermediate", exclude=mediums).difficulty == "easy"
    hards = {p.id for p in problems if p.difficulty == "hard"}
    assert loader.choose_problem(level="advanced", exclude=hards).difficulty == "medium"
    with pytest.raises(LookupError):
        loader.choose_problem(level="beginner", exclude={p.id for p in problems})
    with pytest.raises(ValueError):
        loader.choose_problem(level="expert")


def test_load_problem_rejects_a_file_named_differently_from_its_id(tmp_path: Path):
    source = next(iter(sorted(loader.BANK_DIR.glob("*.yaml"))))
    renamed = tmp_path / "another-name.yaml"
    renamed.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValueError, match="must match the file name"):
        loader.load_problem(renamed)


def test_load_problem_rejects_generated_visible_tests(tmp_path: Path):
    source = loader.BANK_DIR / f"{_problem_with_generated_tests()}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["visible_tests"][0] = next(t for t in data["hidden_tests"] if "generate" in t)
    target = tmp_path / source.name
    target.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="cannot be generated"):
        loader.load_problem(target)


def test_outputs_match_under_each_compare_mode():
    assert loader.outputs_match("exact", [1, 2], [1, 2])
    assert not loader.outputs_match("exact", [1, 2], [2, 1])
    assert not loader.outputs_match("exact", 1, True)
    assert not loader.outputs_match("exact", 2, 2.0)
    assert loader.outputs_match("unordered", [[1, 2], [3]], [[3], [1, 2]])
    assert not loader.outputs_match("unordered", [1, 1, 2], [1, 2, 2])
    assert not loader.outputs_match("unordered", [1], 1)
    assert loader.outputs_match("float", 12.75, 12.7500000001)
    assert loader.outputs_match("float", [0.1, 2], [0.1000000001, 2.0])
    assert not loader.outputs_match("float", 12.75, 12.76)
    assert not loader.outputs_match("float", [1.0], [1.0, 2.0])
    assert not loader.outputs_match("float", 1.0, True)


def test_advanced_prefers_a_matching_medium_over_an_unrelated_hard():
    problems = loader.load_problems().values()
    hard_graphs = {p.id for p in problems if p.difficulty == "hard" and "graphs" in p.categories}
    assert loader.choose_problem(level="advanced", categories=["graphs"]).id in hard_graphs
    chosen = loader.choose_problem(level="advanced", categories=["graphs"], exclude=hard_graphs)
    assert chosen.difficulty == "medium" and "graphs" in chosen.categories
