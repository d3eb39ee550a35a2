"""What a code run takes in (a submission) and gives back (a verdict per test and overall)."""

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mockroom.coding.problems.schema import FunctionSpec, Language

CompareMode = Literal["exact", "unordered", "float"]


class Verdict(StrEnum):
    """The outcome of one test or of a whole run; Judge0's statuses plus memory and output limits."""

    accepted = "accepted"
    wrong_answer = "wrong_answer"
    time_limit = "time_limit"
    memory_limit = "memory_limit"
    output_limit = "output_limit"
    runtime_error = "runtime_error"
    compilation_error = "compilation_error"
    internal_error = "internal_error"
    skipped = "skipped"


class Limits(BaseModel):
    """Per-process limits of a run; the wall-clock limit defaults to a multiple of the CPU limit."""

    model_config = ConfigDict(frozen=True)

    cpu_ms: int = Field(default=2000, ge=50, le=30_000, description="CPU time of one test process (all threads)")
    wall_ms: int | None = Field(default=None, ge=100, le=120_000, description="default: 3 x cpu_ms + 1 s")
    memory_mb: int = Field(default=256, ge=16, le=4096)
    output_kb: int = Field(default=64, ge=1, le=16_384, description="stdout and stderr of the candidate's code")

    @property
    def wall_limit_ms(self) -> int:
        """The wall-clock limit in force."""
        return self.wall_ms or 3 * self.cpu_ms + 1000


class FunctionTest(BaseModel):
    """Arguments by parameter name and the expected return value."""

    input: dict[str, Any]
    output: Any = None
    hidden: bool = False


class StdioTest(BaseModel):
    """Standard input and the expected standard output."""

    stdin: str = ""
    stdout: str = ""
    hidden: bool = False


class Submission(BaseModel):
    """Code to run: a function against typed tests, or a whole program against stdin/stdout tests."""

    language: Language
    source: str = Field(max_length=200_000)
    mode: Literal["function", "stdio"] = "function"
    function: FunctionSpec | None = None
    function_tests: list[FunctionTest] = Field(default_factory=list)
    stdio_tests: list[StdioTest] = Field(default_factory=list)
    compare: CompareMode = "exact"
    limits: Limits = Field(default_factory=Limits)

    @model_validator(mode="after")
    def _mode_matches_tests(self) -> "Submission":
        if self.mode == "function" and (self.function is None or not self.function_tests or self.stdio_tests):
            raise ValueError("function mode needs `function` and `function_tests` (and no stdio tests)")
        if self.mode == "stdio" and (not self.stdio_tests or self.function_tests):
            raise ValueError("stdio mode needs `stdio_tests` (and no function tests)")
        return self

    @property
    def test_count(self) -> int:
        """How many tests the submission has."""
        return len(self.function_tests) if self.mode == "function" else len(self.stdio_tests)

    def is_hidden(self, index: int) -> bool:
        """Whether test `index` is hidden from the candidate."""
        tests = self.function_tests if self.mode == "function" else self.stdio_tests
        return tests[index].hidden


class TestResult(BaseModel):
    """One test's verdict; input, expected and actual are withheld for hidden tests."""

    __test__ = False  # not a pytest class

    index: int
    verdict: Verdict
    hidden: bool = False
    time_ms: int = 0
    memory_kb: int = 0
    input: Any = None
    expected: Any = None
    actual: Any = None
    message: str | None = Field(default=None, description="exception, signal or limit, in words")
    exit_code: int | None = None
    signal: int | None = None
    stderr: str | None = Field(default=None, description="tail of the process's standard error")


class RunResult(BaseModel):
    """The verdict of a whole submission (its first failing test's), with every test's result."""

    verdict: Verdict
    tests: list[TestResult]
    compile_output: str | None = None
    stdout: str = Field(
        default="", description="what the code printed (function mode; only when no test is hidden), capped"
    )
    message: str | None = Field(default=None, description="why the run as a whole failed, if it did")
    time_ms: int = Field(default=0, description="slowest test")
    memory_kb: int = Field(default=0, description="largest peak memory")

    @property
    def passed(self) -> int:
        """How many tests were accepted."""
        return sum(test.verdict == Verdict.accepted for test in self.tests)
