"""Every problem in the bank: its shape, its Python reference against every test, its large cases and its C++."""

import copy
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mockroom.coding.problems import loader
from mockroom.coding.problems.schema import Problem

PROBLEMS = loader.load_problems()
CORE_CATEGORIES = (
    "arrays",
    "strings",
    "hashing",
    "two-pointers",
    "stacks-queues",
    "trees",
    "graphs",
    "binary-search",
    "heaps",
    "intervals",
    "dynamic-programming",
)
# Where the interesting size of the input is small by nature, the largest generated case may be smaller.
LARGE_CASE_MINIMUM = 10_000
SMALLER_LARGE_CASES = {
    "wildcard-match": 1_000,  # quadratic DP over 1000 × 1000; naive backtracking already explodes
    "zero-sum-triples": 1_500,  # the quadratic solution is expected; a cubic one fails at 1500
    "fewest-coins": 50,  # the size that matters is the amount (10^4), not the 50 coins
}
CPP_TYPES = {
    "int": "long long",
    "float": "double",
    "bool": "bool",
    "string": "std::string",
    "int[]": "std::vector<long long>",
    "float[]": "std::vector<double>",
    "string[]": "std::vector<std::string>",
    "bool[]": "std::vector<bool>",
    "int[][]": "std::vector<std::vector<long long>>",
    "string[][]": "std::vector<std::vector<std::string>>",
}


def _volume(value: Any) -> int:
    """How many scalars and characters a test input holds."""
    if isinstance(value, dict):
        return sum(map(_volume, value.values()))
    if isinstance(value, list):
        return sum(map(_volume, value)) if value and isinstance(value[0], list | str) else len(value)
    return len(value) if isinstance(value, str) else 1


def test_bank_size_difficulty_mix_and_category_spread():
    difficulties = Counter(p.difficulty for p in PROBLEMS.values())
    assert len(PROBLEMS) >= 40
    assert difficulties["easy"] >= 14 and difficulties["medium"] >= 17 and difficulties["hard"] >= 7, difficulties
    categories = Counter(c for p in PROBLEMS.values() for c in p.categories)
    for category in CORE_CATEGORIES:
        assert categories[category] >= 3, (category, categories[category])


def test_titles_and_function_names_are_unique():
    assert len({p.title for p in PROBLEMS.values()}) == len(PROBLEMS)
    assert len({p.function.name for p in PROBLEMS.values()}) == len(PROBLEMS)


@pytest.mark.parametrize("problem_id", PROBLEMS)
def test_problem_shape(problem_id: str):
    problem = PROBLEMS[problem_id]
    assert {"python", "cpp"} <= problem.reference.keys()
    assert 2 <= len(problem.visible_tests) <= 3
    assert len(problem.hidden_tests) >= 8
    assert len(set(problem.hints)) == 3
    assert problem.complexity.keys() == {"time", "space"}
    for test in problem.visible_tests + problem.hidden_tests:
        if test.input is not None:
            assert list(test.input) == [param.name for param in problem.function.params], test.input
    assert re.search(rf"^def {problem.function.name}\(", problem.reference["python"], re.MULTILINE)


@pytest.mark.parametrize("problem_id", PROBLEMS)
def test_python_reference_passes_every_written_test_and_example(problem_id: str):
    problem = PROBLEMS[problem_id]
    cases = [(f"example {i}", e.input, e.output) for i, e in enumerate(problem.examples, 1)]
    cases += [(f"visible {i}", t.input, t.output) for i, t in enumerate(problem.visible_tests, 1)]
    cases += [(f"hidden {i}", t.input, t.output) for i, t in enumerate(problem.hidden_tests, 1) if t.input is not None]
    reference = loader.reference_function(problem)
    for name, inputs, expected in cases:
        assert inputs is not None
        arguments = copy.deepcopy(inputs)
        actual = reference(**arguments)
        assert loader.outputs_match(problem.compare, expected, actual), f"{name}: {expected!r} != {actual!r}"
        assert arguments == inputs, f"{name}: the reference modified its arguments"


@pytest.mark.parametrize("problem_id", [p.id for p in PROBLEMS.values() if any(t.generate for t in p.hidden_tests)])
def test_generated_cases_are_large_and_the_reference_is_fast_enough(problem_id: str):
    problem = PROBLEMS[problem_id]
    for test in problem.hidden_tests:
        if test.generate is not None:
            # Same input on every run and in every language: randomness only from a seeded generator.
            assert not re.search(r"\brandom\.(?!Random\()\w+\(", test.generate), test.note
    start = time.process_time()
    generated = [t for t in loader.tests_for(problem, include_hidden=True) if t.generated]
    elapsed = time.process_time() - start
    # Generating the inputs and solving them all in-process must fit the limit the candidate gets.
    assert elapsed < problem.time_limit_ms / 1000, f"{problem_id}: {elapsed:.2f}s CPU"
    assert max(_volume(t.input) for t in generated) >= SMALLER_LARGE_CASES.get(problem_id, LARGE_CASE_MINIMUM)


def _cpp_unit(problems: list[Problem]) -> str:
    """All C++ references in one translation unit (one namespace each), each with its signature checked."""
    parts = ["#include <bits/stdc++.h>\nusing namespace std;\n"]
    for problem in problems:
        params = ", ".join(CPP_TYPES[p.type] for p in problem.function.params)
        returns = CPP_TYPES[problem.function.returns]
        name = problem.function.name
        namespace = problem.id.replace("-", "_")
        parts.append(
            f"namespace {namespace} {{  // {problem.id}\n{problem.reference['cpp']}\n"
            f"static_assert(std::is_same_v<decltype(&{name}), {returns} (*)({params})>, "
            f'"{problem.id}: parameters by value with the runner types");\n}}\n'
        )
    return "\n".join(parts)


@pytest.mark.slow
def test_cpp_references_compile_with_the_runner_signature(tmp_path: Path):
    if shutil.which("g++") is None and not os.environ.get("CI"):
        pytest.skip("g++ is not installed")
    source = tmp_path / "references.cpp"
    source.write_text(_cpp_unit(list(PROBLEMS.values())), encoding="utf-8")
    result = subprocess.run(
        ["g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Werror=return-type", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
