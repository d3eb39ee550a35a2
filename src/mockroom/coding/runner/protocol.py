"""The per-case result lines a function-mode harness writes, and reading them back.

Each line starts with MARK (so lines can also share standard output with the candidate's prints):
`S i` case i started; `R i micros json` it returned; `E i micros kind json-message` it raised
(kind `memory` for out-of-memory errors the runtime lets us catch, else `error`); `C json-message`
the code does not compile or lacks the function; `F json-message` it failed before the first case;
`D` every case ran.
"""

import json
from dataclasses import dataclass, field

from mockroom.coding.runner.values import MARK


@dataclass
class CaseReport:
    """What the harness said about one case."""

    index: int
    micros: int
    result: str | None = None
    error_kind: str | None = None
    error: str | None = None


@dataclass
class Report:
    """Everything the harness said in one process."""

    compile_error: str | None = None
    fatal: str | None = None
    started: list[int] = field(default_factory=list)
    cases: dict[int, CaseReport] = field(default_factory=dict)
    done: bool = False
    other_output: str = ""

    @property
    def unfinished(self) -> int | None:
        """The case that was running when the process stopped, if any."""
        if self.started and self.started[-1] not in self.cases:
            return self.started[-1]
        return None


def parse(text: str) -> Report:
    """Reads a harness's result lines; lines without the mark are the candidate's own output."""
    report = Report()
    other = []
    for line in text.split("\n"):
        at = line.find(MARK)
        if at < 0:
            other.append(line)
            continue
        if at:
            other.append(line[:at])
        _apply(report, line[at + len(MARK) :])
    report.other_output = "\n".join(part for part in other if part)
    return report


def _apply(report: Report, payload: str) -> None:
    kind, _, rest = payload.partition(" ")
    try:
        if kind == "S":
            report.started.append(int(rest))
        elif kind == "R":
            index, micros, result = rest.split(" ", 2)
            report.cases[int(index)] = CaseReport(index=int(index), micros=int(micros), result=result)
        elif kind == "E":
            index, micros, error_kind, message = rest.split(" ", 3)
            report.cases[int(index)] = CaseReport(
                index=int(index), micros=int(micros), error_kind=error_kind, error=_text(message)
            )
        elif kind == "C":
            report.compile_error = _text(rest)
        elif kind == "F":
            report.fatal = _text(rest)
        elif kind == "D":
            report.done = True
    except ValueError:
        pass  # a truncated last line: the case it belongs to counts as unfinished


def _text(encoded: str) -> str:
    try:
        value = json.loads(encoded)
    except ValueError:
        return encoded
    return value if isinstance(value, str) else encoded
