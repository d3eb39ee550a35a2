"""Loads the coding-problem bank (problems/bank/*.yaml), resolves its tests and picks problems for a round.

Generated tests and reference solutions are our own trusted code from this package, so they run in-process
here; candidates' code never does (that is the runner's job, inside the sandbox).
"""

import hashlib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from mockroom.coding.problems.schema import Category, Difficulty, Example, FunctionSpec, Problem, TestCase
from mockroom.coding.runner.values import same_value

BANK_DIR = Path(__file__).parent / "bank"

# Each level's tiers of difficulty, best first; within a tier a category match counts before the order.
LEVEL_TIERS: dict[str, tuple[tuple[Difficulty, ...], ...]] = {
    "beginner": (("easy",), ("medium",), ("hard",)),
    "intermediate": (("medium",), ("easy",), ("hard",)),
    "advanced": (("hard", "medium"), ("easy",)),
}


class ResolvedTest(BaseModel):
    """A test with concrete input and expected output; generated ones are shared per process, so never mutate."""

    model_config = ConfigDict(frozen=True)

    name: str
    input: dict[str, Any]
    output: Any
    hidden: bool
    generated: bool = False
    note: str | None = None


class PublicProblem(BaseModel):
    """What the candidate may see: no hidden tests, hints, expected complexity or reference solutions."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    difficulty: Difficulty
    categories: list[Category]
    statement: str
    constraints: list[str]
    examples: list[Example]
    function: FunctionSpec
    compare: str
    time_limit_ms: int
    visible_tests: list[ResolvedTest]
    hint_count: int


def load_problem(path: Path) -> Problem:
    """Parses and validates one problem file; its id must match the file name."""
    with path.open(encoding="utf-8") as handle:
        problem = Problem.model_validate(yaml.safe_load(handle))
    if problem.id != path.stem:
        raise ValueError(f"{path.name}: id {problem.id!r} must match the file name")
    if any(test.generate for test in problem.visible_tests):
        raise ValueError(f"{path.name}: visible tests are shown to the candidate, so they cannot be generated")
    return problem


@cache
def load_problems() -> dict[str, Problem]:
    """Every problem in the bank, keyed by id, in id order."""
    return {problem.id: problem for problem in map(load_problem, sorted(BANK_DIR.glob("*.yaml")))}


def reference_function(problem: Problem) -> Callable[..., Any]:
    """The problem's Python reference solution as a callable."""
    return _compiled_reference(problem.id, problem.reference["python"], problem.function.name)


def run_reference(problem: Problem, inputs: dict[str, Any]) -> Any:
    """Calls the Python reference on a copy of the inputs, so a reference that sorts in place changes nothing."""
    return reference_function(problem)(**_fresh(inputs))


def tests_for(problem: Problem, *, include_hidden: bool) -> list[ResolvedTest]:
    """The visible tests, then (if asked) the hidden ones, each with its input and expected output."""
    resolved = [
        _resolve(problem, test, f"visible-{i}", hidden=False) for i, test in enumerate(problem.visible_tests, 1)
    ]
    if include_hidden:
        resolved += [
            _resolve(problem, test, f"hidden-{i}", hidden=True) for i, test in enumerate(problem.hidden_tests, 1)
        ]
    return resolved


def public_view(problem: Problem) -> PublicProblem:
    """The candidate's view of a problem."""
    return PublicProblem(
        id=problem.id,
        title=problem.title,
        difficulty=problem.difficulty,
        categories=problem.categories,
        statement=problem.statement,
        constraints=problem.constraints,
        examples=problem.examples,
        function=problem.function,
        compare=problem.compare,
        time_limit_ms=problem.time_limit_ms,
        visible_tests=tests_for(problem, include_hidden=False),
        hint_count=len(problem.hints),
    )


def choose_problem(
    *, level: str, categories: Iterable[str] | None = None, exclude: Iterable[str] = (), seed: int | str = 0
) -> Problem:
    """A problem for a candidate of this level, preferring the given categories and skipping excluded ids.

    The level names tiers of difficulty (beginner: easy; intermediate: medium, then easy; advanced: hard or
    medium, then easy) and the first tier with a problem left is used. Within it a category match wins, then
    the tier's first difficulty; among equals the seed decides, so the same inputs always give the same problem.
    """
    if level not in LEVEL_TIERS:
        raise ValueError(f"unknown level {level!r}; expected one of {sorted(LEVEL_TIERS)}")
    wanted = set(categories or ())
    skipped = set(exclude)
    for tier in LEVEL_TIERS[level]:
        pool = [p for p in load_problems().values() if p.difficulty in tier and p.id not in skipped]
        if pool:
            return min(
                pool,
                key=lambda p: (
                    bool(wanted) and not wanted.intersection(p.categories),
                    tier.index(p.difficulty),
                    hashlib.sha256(f"{seed}:{p.id}".encode()).hexdigest(),
                ),
            )
    raise LookupError(f"no problem left for level {level!r} once {len(skipped)} are excluded")


def outputs_match(compare: str, expected: Any, actual: Any) -> bool:
    """Whether an actual return value matches the expected one under the problem's compare mode."""
    return same_value(compare=compare, expected=expected, actual=actual)


def _resolve(problem: Problem, test: TestCase, name: str, *, hidden: bool) -> ResolvedTest:
    if test.generate is None:
        assert test.input is not None
        return ResolvedTest(name=name, input=test.input, output=test.output, hidden=hidden, note=test.note)
    inputs, output = _generated(problem.id, test.generate, problem.reference["python"], problem.function.name)
    return ResolvedTest(name=name, input=inputs, output=output, hidden=hidden, generated=True, note=test.note)


@cache
def _compiled_reference(problem_id: str, source: str, name: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{problem_id} reference>", "exec"), namespace)
    function: Callable[..., Any] = namespace[name]
    return function


@cache
def _generated(problem_id: str, generator: str, reference: str, name: str) -> tuple[dict[str, Any], Any]:
    namespace: dict[str, Any] = {}
    exec(compile(generator, f"<{problem_id} generator>", "exec"), namespace)
    inputs: dict[str, Any] = namespace["generate"]()
    # References never modify their arguments (the bank's tests check it), so large inputs need no copy.
    output = _compiled_reference(problem_id, reference, name)(**inputs)
    return inputs, output


def _fresh(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, scalars), much faster than `copy.deepcopy` on large inputs."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value] if value and isinstance(value[0], list | dict) else list(value)
    return value

