"""Whole programs on standard input and output, in every language."""

from concurrent.futures import Future

import pytest

from mockroom.coding.runner import RunnerPool, RunResult, StdioTest, Submission, Verdict

pytestmark = pytest.mark.slow

SUM_PROGRAMS = {
    "python": "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n",
    "javascript": "const d = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean).map(Number);\n"
    "console.log(d.reduce((a, b) => a + b, 0));\n",
    "c": '#include <stdio.h>\nint main(void) { long long x, s = 0; while (scanf("%lld", &x) == 1) s += x; '
    'printf("%lld\\n", s); return 0; }\n',
    "cpp": "#include <iostream>\nint main() { long long x, s = 0; while (std::cin >> x) s += x; std::cout << s << '\\n'; }\n",
    "java": "import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner in = new Scanner(System.in);"
    " long s = 0; while (in.hasNextLong()) s += in.nextLong(); System.out.println(s); } }\n",
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\ts, x := 0, 0\n\tfor {\n\t\tif _, err := fmt.Scan(&x); err != nil {\n'
    "\t\t\tbreak\n\t\t}\n\t\ts += x\n\t}\n\tfmt.Println(s)\n}\n",
    "rust": "use std::io::Read;\nfn main() { let mut t = String::new(); std::io::stdin().read_to_string(&mut t).unwrap();"
    ' let s: i64 = t.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum(); println!("{}", s); }\n',
}
TESTS = [
    StdioTest(stdin="1 2\n", stdout="3\n"),
    StdioTest(stdin="40 2 -5", stdout="37   \n\n"),
    StdioTest(stdin="1 1", stdout="3", hidden=True),
]


@pytest.fixture(scope="module")
def sum_runs(pool: RunnerPool) -> dict[str, Future[RunResult]]:
    """The sum program in every language, queued at once."""
    return {
        language: pool.submit_blocking(
            submission=Submission(language=language, mode="stdio", source=source, stdio_tests=TESTS)
        )
        for language, source in SUM_PROGRAMS.items()
    }


@pytest.mark.parametrize("language", SUM_PROGRAMS)
def test_stdio_programs_are_judged_on_their_output(language: str, sum_runs: dict[str, Future[RunResult]]) -> None:
    result = sum_runs[language].result()
    assert [test.verdict for test in result.tests] == [Verdict.accepted, Verdict.accepted, Verdict.wrong_answer], result
    assert result.tests[2].actual is None  # hidden
    assert result.tests[0].time_ms > 0 and result.tests[0].memory_kb > 0


@pytest.mark.parametrize(
    ("language", "source"),
    [("python", "print(1\n"), ("javascript", "console.log(1;\n")],
)
def test_interpreted_stdio_programs_get_syntax_checked(pool: RunnerPool, language: str, source: str) -> None:
    result = pool.run(submission=Submission(language=language, mode="stdio", source=source, stdio_tests=TESTS[:1]))
    assert result.verdict == Verdict.compilation_error
    assert "SyntaxError" in (result.compile_output or "")


def test_stdio_runtime_error_reports_exit_code_and_stderr(pool: RunnerPool) -> None:
    source = "import sys\nsys.stderr.write('bad input\\n')\nsys.exit(4)\n"
    result = pool.run(submission=Submission(language="python", mode="stdio", source=source, stdio_tests=TESTS[:1]))
    test = result.tests[0]
    assert (test.verdict, test.exit_code) == (Verdict.runtime_error, 4)
    assert "bad input" in (test.stderr or "")
