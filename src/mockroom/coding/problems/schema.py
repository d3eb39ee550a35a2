"""The schema of a coding problem (one YAML file per problem under problems/bank/).

Function problems declare typed parameters; the runner generates each language's signature and a
harness that decodes JSON test inputs, calls the candidate's function and prints the JSON result.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ValueType = Literal["int", "float", "bool", "string", "int[]", "float[]", "string[]", "bool[]", "int[][]", "string[][]"]
Difficulty = Literal["easy", "medium", "hard"]
Category = Literal[
    "arrays", "strings", "hashing", "two-pointers", "stacks-queues", "trees", "graphs", "binary-search",
    "heaps", "intervals", "dynamic-programming", "sliding-window", "greedy", "math", "linked-lists",
]
Language = Literal["python", "javascript", "c", "cpp", "java", "go", "rust"]
COMPILED_LANGUAGES: tuple[Language, ...] = ("c", "cpp", "java", "go", "rust")


class Param(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="snake_case; languages that use camelCase convert it")
    type: ValueType


class FunctionSpec(BaseModel):
    """The function the candidate writes: snake_case name, typed parameters and return type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    params: list[Param] = Field(min_length=1, max_length=5)
    returns: ValueType


class TestCase(BaseModel):
    """Inputs by parameter name and the expected return value. `generate` makes large inputs in code."""

    model_config = ConfigDict(extra="forbid")

    input: dict[str, Any] | None = None
    output: Any = None
    generate: str | None = Field(
        default=None,
        description="Python source defining `def generate() -> dict` returning the input; the expected output "
        "is then computed with the Python reference solution. Used for large performance cases.",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _input_or_generator(self) -> "TestCase":
        if (self.input is None) == (self.generate is None):
            raise ValueError("a test has either `input` (with `output`) or `generate`")
        return self


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: dict[str, Any]
    output: Any
    explanation: str | None = None


class Problem(BaseModel):
    """A coding problem with its verified tests, hints, expected complexity and reference solutions."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    difficulty: Difficulty
    categories: list[Category] = Field(min_length=1)
    statement: str = Field(min_length=40, description="Markdown, without the examples")
    constraints: list[str] = Field(min_length=1)
    examples: list[Example] = Field(min_length=1, max_length=3)
    function: FunctionSpec
    compare: Literal["exact", "unordered", "float"] = Field(
        default="exact", description="unordered: the returned list may be in any order; float: 1e-6 tolerance"
    )
    visible_tests: list[TestCase] = Field(min_length=2, max_length=3)
    hidden_tests: list[TestCase] = Field(min_length=8)
    hints: list[str] = Field(min_length=3, max_length=3, description="from a gentle nudge to nearly the approach")
    complexity: dict[Literal["time", "space"], str]
    time_limit_ms: int = Field(default=2000, ge=100, le=10_000, description="CPU time for the whole test run")
    reference: dict[Language, str] = Field(description="python plus at least one compiled language")

    @field_validator("reference")
    @classmethod
    def _python_and_compiled(cls, value: dict[str, str]) -> dict[str, str]:
        if "python" not in value or not any(lang in value for lang in COMPILED_LANGUAGES):
            raise ValueError("needs a python reference and at least one compiled-language reference")
        return value
