"""What every language provides: its toolchain in the sandbox, its function signature, starter and harness."""

from collections.abc import Callable
from dataclasses import dataclass, field

from mockroom.coding.problems.schema import FunctionSpec, Language


@dataclass(frozen=True)
class Toolchain:
    """How a language compiles and runs inside the sandbox (paths as the sandbox sees them)."""

    source_file: str
    run: Callable[[int], list[str]] = field(repr=False)
    compile: tuple[str, ...] | None = None
    check: tuple[str, ...] | None = None  # syntax check for interpreted stdio programs
    # Builds a precompiled header into /box/build once per machine; compiles then see it at /box/pch.
    precompiled_header: tuple[str, ...] | None = None
    compile_env: dict[str, str] = field(default_factory=dict)
    run_env: Callable[[int], dict[str, str]] = field(default=lambda memory_mb: {}, repr=False)
    runtime_memory_mb: int = 0
    address_space_limit: bool = True
    run_pids: int = 64


@dataclass(frozen=True)
class LanguageSupport:
    """One language: toolchain, signature and starter code for the editor, and the function-mode harness."""

    language: Language
    toolchain: Toolchain
    signature: Callable[[FunctionSpec], str]
    starter: Callable[[FunctionSpec], str]
    harness: Callable[[FunctionSpec, str, bool], str]
    program: Callable[[str], str] = lambda source: source
