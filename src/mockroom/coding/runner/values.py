"""Test values on the way into a harness (whitespace tokens) and on the way out (JSON, normalised by type).

Inputs are tokens rather than JSON so that every language's harness parses them in a few lines without
a library: an int or float as written, a bool as 1/0, a string as `s` + its UTF-8 bytes in hex, an array
as its length followed by its elements. Each harness prints results as JSON.
"""

import json
import math
from typing import Any

from mockroom.coding.problems.schema import FunctionSpec, ValueType

MARK = "@mockroom@ "


def camel(name: str) -> str:
    """snake_case to camelCase, for JavaScript, Java and Go names."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def element(kind: ValueType | str) -> str:
    """The element type of an array type."""
    return kind[:-2]


def encode(value: Any, kind: str, out: list[str]) -> None:
    """Appends the tokens of one value of type `kind`."""
    if kind.endswith("[]"):
        if not isinstance(value, list):
            raise ValueError(f"expected a list for {kind}, got {type(value).__name__}")
        out.append(str(len(value)))
        inner = element(kind)
        if inner == "int":
            out.extend(str(int(item)) for item in value)
        else:
            for item in value:
                encode(item, inner, out)
    elif kind == "int":
        out.append(str(int(value)))
    elif kind == "float":
        out.append(repr(float(value)))
    elif kind == "bool":
        out.append("1" if value else "0")
    else:
        out.append("s" + str(value).encode().hex())


def encode_cases(*, spec: FunctionSpec, inputs: list[dict[str, Any]], first: int) -> bytes:
    """The harness's standard input: first index, case count, then each case's arguments in order."""
    lines = [f"{first} {len(inputs)}"]
    for arguments in inputs:
        tokens: list[str] = []
        for param in spec.params:
            encode(arguments[param.name], param.type, tokens)
        lines.append(" ".join(tokens))
    return ("\n".join(lines) + "\n").encode()


def parse_json(text: str) -> Any:
    """A harness's JSON result; NaN and Infinity are accepted as Python's json module does."""
    return json.loads(text)


def normalise(value: Any, kind: str) -> Any:
    """The value as its declared type would hold it (2.0 for a float written as 2); unchanged if it cannot be."""
    if kind.endswith("[]"):
        return [normalise(item, element(kind)) for item in value] if isinstance(value, list) else value
    if isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, int | float):
        return float(value)
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def matches(*, expected: Any, actual: Any, kind: str, compare: str) -> bool:
    """Whether the actual return value equals the expected one under the compare mode."""
    return same_value(compare=compare, expected=normalise(expected, kind), actual=normalise(actual, kind))


def same_value(*, compare: str, expected: Any, actual: Any) -> bool:
    """Equality of two decoded values under a compare mode (exact, unordered or float), without coercion."""
    if compare == "unordered":
        if not isinstance(expected, list) or not isinstance(actual, list):
            return False
        return sorted(map(_canonical, expected)) == sorted(map(_canonical, actual))
    if compare == "float":
        return _close(expected, actual)
    return _canonical(expected) == _canonical(actual)


def _canonical(value: Any) -> str:
    # JSON text tells 1 from True and 1 from 1.0 apart, which == does not.
    return json.dumps(value, sort_keys=True)


def _close(expected: Any, actual: Any) -> bool:
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_close(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(expected, actual, rel_tol=1e-6, abs_tol=1e-6)
    return bool(expected == actual)
