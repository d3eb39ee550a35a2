"""Parts of the runner that need no sandbox: values, comparison, the result protocol, seccomp, signatures."""

import struct

import pytest
from tests.coding.runner.specs import spec

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner import LANGUAGES, Submission, signature, starter_code
from mockroom.coding.runner import sandbox as sandbox_module
from mockroom.coding.runner.errors import SandboxUnavailable
from mockroom.coding.runner.judging import stdio_matches
from mockroom.coding.runner.protocol import parse
from mockroom.coding.runner.seccomp import deny_list_program
from mockroom.coding.runner.values import MARK, camel, encode_cases, matches

TWO_SUM = spec("two_sum", "int[]", nums="int[]", target="int")


def test_inputs_are_tokens_every_harness_can_read() -> None:
    words = spec("f", "string", words="string[]", grid="int[][]", x="float", flag="bool")
    data = encode_cases(spec=words, inputs=[{"words": ["hé", ""], "grid": [[1], []], "x": 0.5, "flag": True}], first=4)
    assert data.decode() == f"4 1\n2 s{'hé'.encode().hex()} s 2 1 1 0 0.5 1\n"


@pytest.mark.parametrize(
    ("expected", "actual", "kind", "compare", "same"),
    [
        ([0, 1], [0, 1], "int[]", "exact", True),
        ([0, 1], [1, 0], "int[]", "exact", False),
        ([0, 1], [1, 0], "int[]", "unordered", True),
        (1, True, "int", "exact", False),
        (True, 1, "bool", "exact", False),
        (2.0, 2, "float", "exact", True),
        (3, 3.0, "int", "exact", True),
        (0.1 + 0.2, 0.3, "float", "float", True),
        (0.3, 0.31, "float", "float", False),
        ([["a", "b"], ["c"]], [["c"], ["a", "b"]], "string[][]", "unordered", True),
        ("abc", None, "string", "exact", False),
    ],
)
def test_return_values_compare_by_declared_type(expected, actual, kind, compare, same) -> None:
    assert matches(expected=expected, actual=actual, kind=kind, compare=compare) is same


def test_stdio_output_ignores_trailing_whitespace_only() -> None:
    assert stdio_matches(expected="1 2\n3\n", actual="1 2   \r\n3\n\n\n", compare="exact")
    assert not stdio_matches(expected="1 2\n3", actual="1  2\n3", compare="exact")
    assert stdio_matches(expected="b\na", actual="a\nb", compare="unordered")
    assert stdio_matches(expected="0.3333333", actual="0.33333331", compare="float")


def test_protocol_separates_results_from_the_candidates_prints() -> None:
    text = f'hello\n{MARK}S 0\ndebug{MARK}R 0 12 [1,2]\n{MARK}S 1\n{MARK}E 1 5 memory "MemoryError"\n{MARK}S 2\n'
    report = parse(text)
    assert report.cases[0].result == "[1,2]" and report.cases[0].micros == 12
    assert report.cases[1].error_kind == "memory" and report.cases[1].error == "MemoryError"
    assert report.unfinished == 2 and not report.done
    assert report.other_output == "hello\ndebug"


def test_seccomp_program_is_well_formed_for_both_architectures() -> None:
    for machine in ("x86_64", "aarch64"):
        program = deny_list_program(machine=machine)
        assert len(program) % 8 == 0 and len(program) // 8 < 4096
        instructions = [struct.unpack("=HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
        assert instructions[-1] == (0x06, 0, 0, 0x7FFF0000)  # default: allow
        for index, (op, jt, jf, _) in enumerate(instructions):
            if op & 0x07 == 0x05:  # a jump lands inside the program
                assert index + 1 + max(jt, jf) < len(instructions)
    with pytest.raises(SandboxUnavailable):
        deny_list_program(machine="sparc64")


def test_signatures_follow_each_languages_convention() -> None:
    assert signature(spec=TWO_SUM, language="python") == "def two_sum(nums: list[int], target: int) -> list[int]:"
    assert signature(spec=TWO_SUM, language="javascript") == "function twoSum(nums, target) {"
    assert (
        signature(spec=TWO_SUM, language="cpp")
        == "vector<long long> two_sum(vector<long long> nums, long long target) {"
    )
    assert signature(spec=TWO_SUM, language="java") == "public static long[] twoSum(long[] nums, long target) {"
    assert signature(spec=TWO_SUM, language="go") == "func twoSum(nums []int, target int) []int {"
    assert signature(spec=TWO_SUM, language="rust") == "fn two_sum(nums: Vec<i64>, target: i64) -> Vec<i64> {"
    assert signature(spec=TWO_SUM, language="c") == (
        "long long* two_sum(long long* nums, int nums_len, long long target, int* out_len) {"
    )
    grid = spec("flood_fill", "string[][]", grid="string[][]", row="int")
    assert signature(spec=grid, language="c") == (
        "char*** flood_fill(char*** grid, int grid_len, int* grid_lens, long long row, int* out_len, int** out_lens) {"
    )
    assert camel("max_sub_array") == "maxSubArray"


def test_every_language_has_a_starter_for_every_type() -> None:
    kinds = ["int", "float", "bool", "string", "int[]", "float[]", "string[]", "bool[]", "int[][]", "string[][]"]
    for language in LANGUAGES:
        for kind in kinds:
            function = FunctionSpec(name="echo_value", params=[{"name": "some_value", "type": kind}], returns=kind)
            code = starter_code(spec=function, language=language)
            assert signature(spec=function, language=language) in code


def test_a_submission_needs_tests_of_its_mode() -> None:
    with pytest.raises(ValueError, match="function mode"):
        Submission(language="python", source="", function=TWO_SUM)
    with pytest.raises(ValueError, match="stdio mode"):
        Submission(language="python", source="", mode="stdio")


def test_missing_bubblewrap_refuses_instead_of_running_bare(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sandbox_module, "BWRAP", tmp_path / "no-bwrap")
    sandbox_module._checked.cache_clear()
    try:
        with pytest.raises(SandboxUnavailable, match="bubblewrap"):
            sandbox_module.check()
    finally:
        monkeypatch.undo()
        sandbox_module._checked.cache_clear()
