"""One candidate's program never affects another's run: every worker slot has its own uid and cgroup."""

import time

import pytest
from tests.coding.runner.specs import spec

from mockroom.coding.runner import FunctionTest, Limits, RunnerPool, SandboxRunner, Submission, Verdict

pytestmark = pytest.mark.slow

FORK_BOMB = "import os\ndef add(a, b):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n"
ADD = spec("add", "int", a="int", b="int")


def _add(source: str, **limits: int) -> Submission:
    tests = [FunctionTest(input={"a": i, "b": 1}, output=i + 1) for i in range(3)]
    return Submission(language="python", source=source, function=ADD, function_tests=tests, limits=Limits(**limits))


def test_a_fork_bomb_never_reaches_runs_on_other_slots(sandbox: None) -> None:
    pool = RunnerPool(runner=SandboxRunner(), workers=3)
    try:
        bomb = pool.submit_blocking(submission=_add(FORK_BOMB, cpu_ms=2000, wall_ms=5000, memory_mb=128))
        time.sleep(0.5)  # the bomb holds every process its slot allows
        victims = [pool.submit_blocking(submission=_add("def add(a, b):\n    return a + b\n")) for _ in range(4)]
        results = [victim.result() for victim in victims]
        assert not bomb.done(), "the bomb ended before the other runs, so they were not tested against it"
        assert [result.verdict for result in results] == [Verdict.accepted] * 4, [r.tests[0] for r in results]
        assert bomb.result().tests[0].verdict in {Verdict.time_limit, Verdict.runtime_error, Verdict.memory_limit}
    finally:
        pool.shutdown()
