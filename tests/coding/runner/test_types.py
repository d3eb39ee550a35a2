"""Function mode with every value type in every language: each harness reads values and writes one back.

Python, JavaScript, C and Go echo each type on its own. C++, Java and Rust, slow to compile and with
generic writers, echo the last of several parameters in four functions that read all ten types.
"""

from concurrent.futures import Future

import pytest

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner import FunctionTest, RunnerPool, RunResult, Submission, Verdict, signature

pytestmark = pytest.mark.slow

TEXT = 'héllo "q" \\ \n\t ✓ 😀'
VALUES: dict[str, list[object]] = {
    "int": [0, -7, 9_007_199_254_740_993],
    "float": [0.1, -2.5e-10, 1e300],
    "bool": [True, False],
    "string": [TEXT, ""],
    "int[]": [[1, -2, 3_000_000_000], []],
    "float[]": [[0.5, -1.25, 3.0], []],
    "string[]": [["a", TEXT, ""], []],
    "bool[]": [[True, False, True], []],
    "int[][]": [[[1, 2], [], [-3]], []],
    "string[][]": [[["a", "b"], [], [TEXT]], []],
}
LANGUAGES = ["python", "javascript", "c", "cpp", "java", "go", "rust"]
ALONE = {"python", "javascript", "c", "go"}
# The types read before `value` in the combined functions, with the values passed for them.
COMBINED: dict[str, dict[str, tuple[str, object]]] = {
    "float[]": {"i": ("int", -5), "f": ("float", 2.5), "b": ("bool", True), "s": ("string", TEXT)},
    "string[][]": {"x": ("int[]", [4, -4]), "y": ("string[]", ["p", TEXT])},
    "bool[]": {"x": ("float[]", [1.5, -0.25])},
    "int[][]": {"x": ("bool[]", [False, True])},
}


def _echo_spec(kind: str, before: dict[str, tuple[str, object]] | None = None) -> FunctionSpec:
    params = [{"name": name, "type": type_} for name, (type_, _) in (before or {}).items()]
    return FunctionSpec(name="echo_value", params=[*params, {"name": "value", "type": kind}], returns=kind)


def _echo_source(language: str, function: FunctionSpec) -> str:
    header = signature(spec=function, language=language)
    kind = function.returns
    if language == "python":
        return f"{header}\n    return value\n"
    if language == "javascript":
        return f"{header}\n  return value;\n}}\n"
    if language == "java":
        return f"class Solution {{\n    {header} return value; }}\n}}\n"
    if language == "go":
        return f"package main\n\n{header}\n\treturn value\n}}\n"
    if language == "rust":
        return f"{header} value }}\n"
    if language == "c":
        if kind.endswith("[][]"):
            return f"{header} *out_len = value_len; *out_lens = value_lens; return value; }}\n"
        if kind.endswith("[]"):
            return f"{header} *out_len = value_len; return value; }}\n"
    return f"{header} return value; }}\n"


def _expected(language: str, kind: str, value: object) -> object:
    # JavaScript numbers are doubles: integers past 2^53 round, as they do on LeetCode.
    if language == "javascript" and kind == "int" and isinstance(value, int):
        return float(value)
    return value


@pytest.fixture(scope="module")
def echo_runs(pool: RunnerPool) -> dict[tuple[str, str], Future[RunResult]]:
    """Every (language, type) echo submission, queued at once."""
    runs = {}
    for language in LANGUAGES:
        for kind, values in VALUES.items():
            if language not in ALONE and kind not in COMBINED:
                continue
            before = {} if language in ALONE else COMBINED[kind]
            function = _echo_spec(kind, before)
            fixed = {name: value for name, (_, value) in before.items()}
            tests = [
                FunctionTest(input=fixed | {"value": value}, output=_expected(language, kind, value))
                for value in values
            ]
            submission = Submission(
                language=language, source=_echo_source(language, function), function=function, function_tests=tests
            )
            runs[language, kind] = pool.submit_blocking(submission=submission)
    return runs


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_type_round_trips(language: str, echo_runs: dict[tuple[str, str], Future[RunResult]]) -> None:
    failures = {}
    kinds = [kind for (lang, kind) in echo_runs if lang == language]
    assert len(kinds) == (len(VALUES) if language in ALONE else len(COMBINED))
    for kind in kinds:
        result = echo_runs[language, kind].result()
        if result.verdict != Verdict.accepted:
            failures[kind] = (result.compile_output, [(t.verdict, t.actual, t.message) for t in result.tests])
    assert not failures, failures
