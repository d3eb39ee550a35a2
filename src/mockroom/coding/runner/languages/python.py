"""Python 3 (Debian's /usr/bin/python3): `def two_sum(nums: list[int], target: int) -> list[int]:`.

A module-level function, or a method of `class Solution`. The harness compiles the candidate's code
itself, so a syntax error is reported as a compilation error.
"""

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK

_PYTHON = ("/usr/bin/python3", "-S", "-B", "-E", "-s")
TYPES = {
    "int": "int", "float": "float", "bool": "bool", "string": "str",
    "int[]": "list[int]", "float[]": "list[float]", "string[]": "list[str]", "bool[]": "list[bool]",
    "int[][]": "list[list[int]]", "string[][]": "list[list[str]]",
}  # fmt: skip


def signature(spec: FunctionSpec) -> str:
    """The function's header."""
    params = ", ".join(f"{param.name}: {TYPES[param.type]}" for param in spec.params)
    return f"def {spec.name}({params}) -> {TYPES[spec.returns]}:"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with."""
    return f"{signature(spec)}\n    # Write your solution here.\n    pass\n"


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    return _HARNESS.format(
        source=source, name=spec.name, kinds=[param.type for param in spec.params], to_stdout=to_stdout, mark=MARK
    )


# json (through re) and traceback are most of a bare interpreter's start-up: results are written by a small
# encoder here, and those modules are imported only when something goes wrong.
_HARNESS = r"""
import os as _mr_os
import sys as _mr_sys
import time as _mr_time

_MR_SOURCE = {source!r}
_MR_TO_STDOUT = {to_stdout!r}
_MR_FD = 1 if _MR_TO_STDOUT else int(_mr_os.environ["MOCKROOM_CHANNEL_FD"])
_MR_ESCAPES = {{code: "\\u%04x" % code for code in range(32)}}
_MR_ESCAPES[34] = '\\"'
_MR_ESCAPES[92] = "\\\\"


def _mr_emit(line):
    # Flushing first keeps each case's prints ahead of its result, so an output flood is blamed on it.
    _mr_sys.stdout.flush()
    data = ("\n" + {mark!r} + line + "\n").encode(errors="backslashreplace")
    while data:
        data = data[_mr_os.write(_MR_FD, data):]


def _mr_dump(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, str):
        return '"' + value.translate(_MR_ESCAPES) + '"'
    if isinstance(value, (list, tuple)):
        if all(type(item) is int for item in value):
            return "[" + ",".join(map(str, value)) + "]"
        return "[" + ",".join(map(_mr_dump, value)) + "]"
    import json

    return json.dumps(value)


def _mr_quote(text):
    return _mr_dump(str(text))


def _mr_read(kind, tokens):
    if kind.endswith("[]"):
        count = int(next(tokens))
        if kind == "int[]":
            return [int(next(tokens)) for _ in range(count)]
        return [_mr_read(kind[:-2], tokens) for _ in range(count)]
    token = next(tokens)
    if kind == "int":
        return int(token)
    if kind == "float":
        return float(token)
    if kind == "bool":
        return token == b"1"
    return bytes.fromhex(token[1:].decode()).decode("utf-8", "replace")


def _mr_error(error):
    import traceback

    trace = error.__traceback__
    while trace is not None and trace.tb_frame.f_code.co_filename != "solution.py":
        trace = trace.tb_next
    return _mr_quote("".join(traceback.format_exception(type(error), error, trace))[-4000:])


def _mr_find(namespace, name):
    function = namespace.get(name)
    if callable(function):
        return function
    solution = namespace.get("Solution")
    if isinstance(solution, type) and callable(getattr(solution, name, None)):
        return getattr(solution(), name)
    return None


def _mr_main():
    _mr_sys.setrecursionlimit(200000)
    tokens = iter(_mr_sys.stdin.buffer.read().split())
    first, count = int(next(tokens)), int(next(tokens))
    try:
        code = compile(_MR_SOURCE, "solution.py", "exec")
    except (SyntaxError, ValueError) as error:
        import traceback

        _mr_emit("C " + _mr_quote("".join(traceback.format_exception_only(type(error), error))))
        return
    namespace = {{"__name__": "solution"}}
    try:
        exec(code, namespace)
    except BaseException as error:
        _mr_emit("F " + _mr_error(error))
        return
    function = _mr_find(namespace, {name!r})
    if function is None:
        _mr_emit("C " + _mr_quote("Define a function named {name} (or a class Solution with that method)."))
        return
    for index in range(first, first + count):
        _mr_emit("S %d" % index)
        arguments = [_mr_read(kind, tokens) for kind in {kinds!r}]
        started = _mr_time.perf_counter_ns()
        try:
            result = function(*arguments)
            micros = (_mr_time.perf_counter_ns() - started) // 1000
            text = _mr_dump(result)
        except MemoryError:
            _mr_emit("E %d %d memory %s" % (index, (_mr_time.perf_counter_ns() - started) // 1000, '"MemoryError"'))
            continue
        except BaseException as error:
            micros = (_mr_time.perf_counter_ns() - started) // 1000
            _mr_emit("E %d %d error %s" % (index, micros, _mr_error(error)))
            continue
        _mr_emit("R %d %d %s" % (index, micros, text))
    _mr_emit("D")


_mr_main()
_mr_sys.stdout.flush()
"""

SUPPORT = LanguageSupport(
    language="python",
    toolchain=Toolchain(
        source_file="main.py",
        run=lambda memory_mb: [*_PYTHON, "/box/src/main.py"],
        check=(
            *_PYTHON,
            "-c",
            "import sys; compile(open(sys.argv[1], 'rb').read(), 'main.py', 'exec')",
            "/box/src/main.py",
        ),
    ),
    signature=signature,
    starter=starter,
    harness=harness,
)
