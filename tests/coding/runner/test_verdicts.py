"""Every verdict in every language, from one submission per language whose behaviour each test selects."""

import logging
from concurrent.futures import Future

import pytest
from tests.coding.runner.specs import spec

from mockroom.coding.runner import FunctionTest, Limits, RunnerPool, RunResult, Submission, Verdict, service
from mockroom.coding.runner import sandbox as sandbox_module
from mockroom.coding.runner.judging import RUNNER_FAILED

pytestmark = pytest.mark.slow

BEHAVE = spec("behave", "int", mode="string")
# Each mode, the verdict it must get; after a crash or a limit the next tests still run (and pass).
MODES = [
    ("ok", Verdict.accepted),
    ("wa", Verdict.wrong_answer),
    ("exc", Verdict.runtime_error),
    ("crash", Verdict.runtime_error),
    ("ok", Verdict.accepted),
    ("mle", Verdict.memory_limit),
    ("ole", Verdict.output_limit),
    ("tle", Verdict.time_limit),
    ("ok", Verdict.accepted),
]
SOURCES = {
    "python": """
import os

def behave(mode: str) -> int:
    if mode == "wa":
        return 41
    if mode == "exc":
        raise ValueError("boom")
    if mode == "crash":
        os.kill(os.getpid(), 11)
    if mode == "mle":
        hoard = []
        while True:
            hoard.append(bytearray(1 << 20))
    if mode == "ole":
        print("x" * 200_000)
    if mode == "tle":
        while True:
            pass
    return 42
""",
    "javascript": """
function behave(mode) {
  if (mode === "wa") return 41;
  if (mode === "exc") throw new Error("boom");
  if (mode === "crash") process.abort();
  if (mode === "mle") { const hoard = []; for (;;) hoard.push(Buffer.alloc(1 << 20, 1)); }
  if (mode === "ole") console.log("x".repeat(200000));
  if (mode === "tle") for (;;) {}
  return 42;
}
""",
    "c": """
long long behave(char* mode) {
    if (!strcmp(mode, "wa")) return 41;
    if (!strcmp(mode, "exc")) return *(volatile int*)NULL;
    if (!strcmp(mode, "crash")) exit(3);
    if (!strcmp(mode, "mle")) for (;;) { char* p = malloc(1 << 20); if (!p) abort(); memset(p, 1, 1 << 20); }
    if (!strcmp(mode, "ole")) for (int i = 0; i < 200000; i++) putchar('x');
    if (!strcmp(mode, "tle")) { volatile unsigned long long n = 0; for (;;) n++; }
    return 42;
}
""",
    "cpp": """
long long behave(string mode) {
    if (mode == "wa") return 41;
    if (mode == "exc") throw runtime_error("boom");
    if (mode == "crash") raise(SIGSEGV);
    if (mode == "mle") { vector<vector<char>> hoard; for (;;) hoard.emplace_back(1 << 20, 'x'); }
    if (mode == "ole") cout << string(200000, 'x');
    if (mode == "tle") { volatile unsigned long long n = 0; for (;;) n++; }
    return 42;
}
""",
    "java": """
import java.util.*;

public class Solution {
    static volatile long sink;
    public static long behave(String mode) {
        if (mode.equals("wa")) return 41;
        if (mode.equals("exc")) throw new IllegalStateException("boom");
        if (mode.equals("crash")) System.exit(3);
        if (mode.equals("mle")) { List<long[]> hoard = new ArrayList<>(); while (true) hoard.add(new long[1 << 17]); }
        if (mode.equals("ole")) System.out.print("x".repeat(200000));
        if (mode.equals("tle")) while (true) sink++;
        return 42;
    }
}
""",
    "go": """
package main

import (
\t"fmt"
\t"os"
\t"strings"
)

func behave(mode string) int {
\tswitch mode {
\tcase "wa":
\t\treturn 41
\tcase "exc":
\t\tpanic("boom")
\tcase "crash":
\t\tos.Exit(3)
\tcase "mle":
\t\thoard := [][]byte{}
\t\tfor {
\t\t\tchunk := make([]byte, 1<<20)
\t\t\tfor i := range chunk {
\t\t\t\tchunk[i] = 1
\t\t\t}
\t\t\thoard = append(hoard, chunk)
\t\t}
\tcase "ole":
\t\tfmt.Print(strings.Repeat("x", 200000))
\tcase "tle":
\t\tn := 0
\t\tfor {
\t\t\tn++
\t\t}
\t}
\treturn 42
}
""",
    "rust": """
fn behave(mode: String) -> i64 {
    match mode.as_str() {
        "wa" => 41,
        "exc" => panic!("boom"),
        "crash" => std::process::exit(3),
        "mle" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop { hoard.push(vec![1u8; 1 << 20]); }
        }
        "ole" => { print!("{}", "x".repeat(200000)); 42 }
        "tle" => { let mut n: u64 = 0; loop { n = n.wrapping_add(1); unsafe { std::ptr::write_volatile(&mut n, n) } } }
        _ => 42,
    }
}
""",
}
BROKEN = {
    "python": "def behave(mode: str) -> int\n    return 1\n",
    "javascript": "function behave(mode) { return 1;\n",
    "c": "long long behave(char* mode) { return 1 }\n",
    "cpp": "long long behave(string mode) { return undefined_name; }\n",
    "java": 'class Solution { public static long behave(String mode) { return "x"; } }\n',
    "go": 'package main\n\nfunc behave(mode string) int { return "x" }\n',
    "rust": 'fn behave(mode: String) -> i64 { "x" }\n',
}
LIMITS = Limits(cpu_ms=1000, wall_ms=4000, memory_mb=128)


@pytest.fixture(scope="module")
def verdict_runs(pool: RunnerPool) -> dict[str, Future[RunResult]]:
    """One submission per language with every mode, all queued at once on the pool."""
    tests = [FunctionTest(input={"mode": mode}, output=42) for mode, _ in MODES]
    return {
        language: pool.submit_blocking(
            submission=Submission(
                language=language, source=source, function=BEHAVE, function_tests=tests, limits=LIMITS
            )
        )
        for language, source in SOURCES.items()
    }


@pytest.fixture(scope="module")
def broken_runs(pool: RunnerPool) -> dict[str, Future[RunResult]]:
    """A submission per language that does not compile."""
    tests = [FunctionTest(input={"mode": "ok"}, output=42)]
    return {
        language: pool.submit_blocking(
            submission=Submission(language=language, source=source, function=BEHAVE, function_tests=tests)
        )
        for language, source in BROKEN.items()
    }


@pytest.mark.parametrize("language", SOURCES)
def test_every_verdict(language: str, verdict_runs: dict[str, Future[RunResult]]) -> None:
    result = verdict_runs[language].result()
    got = [(test.verdict, test.message) for test in result.tests]
    assert [verdict for verdict, _ in got] == [verdict for _, verdict in MODES], got
    assert result.verdict == Verdict.wrong_answer
    wrong = result.tests[1]
    assert (wrong.input, wrong.expected, wrong.actual) == ({"mode": "wa"}, 42, 41)
    assert "boom" in (result.tests[2].message or "") + (result.tests[2].stderr or "") or language == "c"
    assert result.tests[7].time_ms == LIMITS.cpu_ms
    assert all(test.memory_kb > 0 for test in result.tests)


@pytest.mark.parametrize("language", BROKEN)
def test_compilation_error(language: str, broken_runs: dict[str, Future[RunResult]]) -> None:
    result = broken_runs[language].result()
    assert result.verdict == Verdict.compilation_error, result
    assert result.tests[0].verdict == Verdict.compilation_error
    assert result.compile_output and "/box/" not in result.compile_output


def test_hidden_tests_keep_their_data_back(pool: RunnerPool) -> None:
    source = SOURCES["python"].replace(
        '    if mode == "wa":', "    print('secret input', mode)\n    if mode == \"wa\":"
    )
    tests = [
        FunctionTest(input={"mode": "wa"}, output=42, hidden=True),
        FunctionTest(input={"mode": "crash"}, output=42, hidden=True),
    ]
    result = pool.run(submission=Submission(language="python", source=source, function=BEHAVE, function_tests=tests))
    assert [test.verdict for test in result.tests] == [Verdict.wrong_answer, Verdict.runtime_error]
    assert all(t.input is None and t.expected is None and t.actual is None and t.stderr is None for t in result.tests)
    assert result.stdout == ""
    visible = pool.run(
        submission=Submission(
            language="python",
            source=source,
            function=BEHAVE,
            function_tests=[FunctionTest(input={"mode": "ok"}, output=42)],
        )
    )
    assert "secret input ok" in visible.stdout


def test_three_time_limits_skip_the_rest(pool: RunnerPool) -> None:
    tests = [FunctionTest(input={"mode": "tle"}, output=42)] * 4 + [FunctionTest(input={"mode": "ok"}, output=42)]
    limits = Limits(cpu_ms=300, wall_ms=2000)
    result = pool.run(
        submission=Submission(language="c", source=SOURCES["c"], function=BEHAVE, function_tests=tests, limits=limits)
    )
    assert [test.verdict for test in result.tests] == [Verdict.time_limit] * 3 + [Verdict.skipped] * 2


def test_a_failing_sandbox_is_an_internal_error(pool: RunnerPool, monkeypatch, caplog) -> None:
    original = sandbox_module._bwrap_args
    monkeypatch.setattr(
        sandbox_module, "_bwrap_args", lambda **kw: [*original(**kw)[:1], "--no-such-option", *original(**kw)[1:]]
    )
    tests = [FunctionTest(input={"mode": "ok"}, output=42)]
    with caplog.at_level(logging.ERROR, logger="mockroom.coding.runner.service"):
        result = service.run(
            submission=Submission(language="python", source=SOURCES["python"], function=BEHAVE, function_tests=tests)
        )
    assert result.verdict == Verdict.internal_error
    # bwrap's own words go to the server log; the candidate reads only that the failure was ours.
    assert "bwrap" in caplog.text and "no-such-option" in caplog.text
    assert result.message == RUNNER_FAILED and result.tests[0].message == RUNNER_FAILED
    assert "bwrap" not in result.model_dump_json()
