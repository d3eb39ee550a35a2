"""Test helpers for the runner's tests."""

from mockroom.coding.problems.schema import FunctionSpec


def spec(name: str, returns: str, /, **params: str) -> FunctionSpec:
    """A FunctionSpec from keyword parameters in order."""
    return FunctionSpec(
        name=name, params=[{"name": key, "type": kind} for key, kind in params.items()], returns=returns
    )
