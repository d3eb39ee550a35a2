"""Turn-taking on the embedded stack (issue 14): does a thinking pause end the candidate's turn?

For every pause of every answer of bench/turn_corpus.py, the end-of-turn decision is taken as the live listener takes
it, with the project's own code (`assess_pause`: the embedded Whisper's transcript and how sure it was of the ending,
Smart Turn v3, the sentence-end model and the turn policy from the settings), on the answer's audio from its start
to 0.2 s into the pause.

Timing model of the live listener: the VAD reports a stop 0.2 s into the silence and the check starts then; the
verdict is known at max(policy.silence_seconds, 0.2 + compute seconds) after the speech ended, and says how much
silence ends the turn (`end_after`: the turn silence when words and Smart Turn agree it is finished, the "unsure"
silence when Smart Turn hesitates, the longest thinking pause otherwise); the turn ends at the later of the two. The
sentence-end reading comes after the compute and is not waited for: the listener holds the reply until it is in (it
is printed, with how many readings took longer than the reply takes to start, the only case where it delays one);
when it says the words go on, the reply is not heard before the longest thinking pause, so that is where it ends. A
pause shorter than that never ends the turn (the candidate has resumed by then). So at a mid-answer pause p the
turn ends early when p is longer than that; at the end of an answer that is the end-of-turn latency. A turn ended
early is repaired when the candidate resumes within 1.5 s of the interviewer's first words (it gives way and the
answer stays whole); "split" counts the early ends that this does not repair, taking the reply's first audio to
come REPLY_START_SECONDS after the turn ends (bench/voice.py measures it).

Printed: the false cut-off rate at incomplete points with pauses up to the longest thinking pause (by kind and
voice), how often a complete mid-answer point ended the turn (by pause; fine, the interviewer yields when the
candidate resumes), the missed-end rate at final points, the end-of-turn latency and compute time p50/p95, and a
markdown table for the README. Scripts with an even index are the dev split, odd the test split. Usage:

    .venv/bin/python bench/turn_taking.py [--split dev|test|all] [--limit N] [--json PATH] [--replay PATH]

`--replay PATH` takes the transcripts, Smart Turn readings and compute times of an earlier `--json` run and only
judges them again (for trying a rule without decoding again; say so when quoting its figures). A point whose words
did not read as finished in that run has no sentence-end reading.
"""

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.turn_corpus import RATE, SCRIPTS, SpokenAnswer, build_corpus  # noqa: E402
from loguru import logger  # noqa: E402
from tests.voice.test_incremental_stt import stream  # noqa: E402

from mockroom.core.config import Settings  # noqa: E402
from mockroom.providers.stt import stt_from_settings  # noqa: E402
from mockroom.providers.stt.base import Ending, Transcript  # noqa: E402
from mockroom.voice.incremental import IncrementalTranscript  # noqa: E402
from mockroom.voice.sentence_end import shared_sentence_end  # noqa: E402
from mockroom.voice.turns import TurnPolicy, assess_pause, judge  # noqa: E402

VAD_STOP_SECONDS = 0.2
REPLY_START_SECONDS = 0.3
YIELD_WINDOW_SECONDS = 1.5


@dataclass(frozen=True)
class Row:
    """One pause of one spoken answer and what the listener made of it."""

    script: int
    voice: str
    speed: float
    noise: str
    opus: bool
    kind: str
    subkind: str
    pause: float
    decision: str
    reason: str
    text: str
    probability: float
    last_word: float | None
    mark: float | None
    alternatives: list[str] | None
    sentence_end: float | None
    compute_seconds: float
    reading_seconds: float
    first_decision_seconds: float
    end_seconds: float
    ended_early: bool
    split: bool
    latency_seconds: float | None


class _Stretches:
    """The listener's incremental transcription of one answer: stretches of at least `stretch_seconds` are kept as
    the answer goes on (decoded as the candidate speaks, so not counted in a look's compute), and a look decodes
    only what follows them."""

    def __init__(self, stt: Any, stretch_seconds: float) -> None:
        self.name = "stretches"
        self._transcript = IncrementalTranscript(stt=stt, sample_rate=RATE, min_stretch_seconds=stretch_seconds)

    def advance(self, pcm: bytes) -> None:
        """Commits the stretches the listener would have committed while `pcm` came in, 0.1 s at a time."""
        stream(self._transcript, pcm)

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        return self._transcript.text(pcm)


def assess_answer(
    answer: SpokenAnswer, *, stt: Any, smart_turn: Any, policy: TurnPolicy, sentence_end: Any,
    stretch_seconds: float | None = None,
) -> list[Row]:
    """Every point of `answer` judged on the audio the listener has at the VAD stop; with `stretch_seconds`,
    transcribed as the listener does with incremental transcription on."""
    rows = []
    stretches = None if stretch_seconds is None else _Stretches(stt, stretch_seconds)
    for point in answer.points:
        cut = round((point.at_seconds + VAD_STOP_SECONDS) * RATE) * 2
        if stretches is not None:
            stretches.advance(answer.pcm[:round(point.at_seconds * RATE) * 2])
        verdict = assess_pause(
            stt=stt if stretches is None else stretches, smart_turn=smart_turn, pcm=answer.pcm[:cut],
            sample_rate=RATE, policy=policy, sentence_end_model=sentence_end,
        )
        rows.append(_row(
            policy, script=answer.script_id, voice=answer.voice, speed=answer.speed, noise=answer.noise,
            opus=answer.opus, kind=point.kind, subkind=point.subkind, pause=point.pause_seconds, text=verdict.text,
            probability=round(verdict.smart_turn_probability, 4), compute_seconds=round(verdict.compute_seconds, 4),
            last_word=None if verdict.ending is None else round(verdict.ending.last_word, 4),
            mark=None if verdict.ending is None or verdict.ending.mark is None else round(verdict.ending.mark, 4),
            alternatives=None if verdict.ending is None or verdict.ending.alternatives is None
            else list(verdict.ending.alternatives),
            sentence_end=None if verdict.sentence_end is None else round(verdict.sentence_end, 4),
            reading_seconds=round(verdict.reading_seconds, 4),
        ))
    return rows


def _row(policy: TurnPolicy, **values: Any) -> Row:
    """A row with the verdict and the timing model applied to the listener's readings in `values`."""
    alternatives = values["alternatives"]
    ending = None if values["last_word"] is None else Ending(
        last_word=values["last_word"], mark=values["mark"], alternatives=None if alternatives is None else tuple(alternatives)
    )
    verdict = judge(
        policy=policy, smart_turn_probability=values["probability"], text=values["text"], ending=ending,
        sentence_end=values["sentence_end"],
    )
    first = max(policy.silence_seconds, VAD_STOP_SECONDS + values["compute_seconds"])
    end = max(first, verdict.end_after)
    final = values["kind"] == "final"
    early = not final and values["pause"] > end
    return Row(
        **values, decision=verdict.decision(policy), reason=verdict.reason, first_decision_seconds=round(first, 4),
        end_seconds=round(end, 4), ended_early=early,
        split=early and values["pause"] - end > REPLY_START_SECONDS + YIELD_WINDOW_SECONDS,
        latency_seconds=end if final else None,
    )


def replay(path: Path, policy: TurnPolicy) -> list[Row]:
    """The rows of an earlier `--json` run judged again with today's rules."""
    keep = ("script", "voice", "speed", "noise", "opus", "kind", "subkind", "pause", "text", "probability",
            "compute_seconds")
    return [
        _row(policy, **{key: row[key] for key in keep}, last_word=row.get("last_word"), mark=row.get("mark"),
             alternatives=row.get("alternatives"), sentence_end=row.get("sentence_end"),
             reading_seconds=row.get("reading_seconds", 0.0))
        for row in json.loads(path.read_text(encoding="utf-8"))
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def rate(rows: list[Row], hit: Callable[[Row], bool]) -> str:
    count = sum(1 for row in rows if hit(row))
    return f"{count}/{len(rows)} ({100 * count / len(rows):.1f}%)" if rows else "0/0"


def grouped(rows: Iterable[Row], key: Callable[[Row], object]) -> dict[object, list[Row]]:
    groups: dict[object, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return dict(sorted(groups.items(), key=lambda item: str(item[0])))


def report(rows: list[Row], policy: TurnPolicy) -> None:
    """Prints the figures and the README table."""
    thinking = [r for r in rows if r.kind == "incomplete" and r.pause <= policy.max_pause_seconds]
    complete = [r for r in rows if r.kind == "complete"]
    final = [r for r in rows if r.kind == "final"]
    cut_off = rate(thinking, _ended_early)
    split = rate(thinking, _split)
    print(f"\nFalse cut-off at incomplete points, pause <= {policy.max_pause_seconds:g} s: {cut_off}")
    print(f"  of which not repaired by the interviewer giving way (answer split in two): {split}")
    print(f"  (decision 'end' at any incomplete point, whatever the pause: {rate(thinking, _says_end)})")
    breakdown(thinking, _ended_early, subkind=_subkind, voice=_voice, pause=_pause, channel=_channel)
    print(f"\nComplete mid-answer points that ended the turn: {rate(complete, _ended_early)}")
    breakdown(complete, _ended_early, pause=_pause)
    missed = rate(final, _waits)
    latencies = [r.latency_seconds for r in final if r.latency_seconds is not None]
    computes = [r.compute_seconds for r in rows]
    readings = [r.reading_seconds for r in rows if r.sentence_end is not None]
    latency = f"{percentile(latencies, 0.5):.2f} / {percentile(latencies, 0.95):.2f} s"
    compute = f"{percentile(computes, 0.5):.2f} / {percentile(computes, 0.95):.2f} s"
    print(f"\nMissed end at final points (not ended at the first look): {missed}")
    breakdown(final, _waits, voice=_voice, channel=_channel)
    print(f"End-of-turn latency at final points p50 / p95: {latency}")
    print(f"Compute of one assessment p50 / p95: {compute}")
    if readings:
        late = sum(r > REPLY_START_SECONDS for r in readings)
        print(f"Sentence-end readings: {len(readings)}, p50 / p95 {percentile(readings, 0.5):.2f} / "
              f"{percentile(readings, 0.95):.2f} s; later than the reply's start ({REPLY_START_SECONDS:g} s): {late}")
    print("\n| Measure | Result |\n|---|---|")
    print(f"| False cut-off at a thinking pause (incomplete, <= {policy.max_pause_seconds:g} s) | {cut_off} |")
    print(f"| ... of those, answers left split after the interviewer gives way | {split} |")
    print(f"| Complete mid-answer pauses that ended the turn | {rate(complete, _ended_early)} |")
    print(f"| Missed end of answer | {missed} |")
    print(f"| End-of-turn latency p50 / p95 | {latency} |")
    print(f"| Compute per assessment p50 / p95 | {compute} |")


def breakdown(rows: list[Row], hit: Callable[[Row], bool], **keys: Callable[[Row], object]) -> None:
    """`rate(rows, hit)` for each group of rows, per grouping key."""
    for title, key in keys.items():
        print(f"  by {title}:")
        for name, group in grouped(rows, key).items():
            print(f"    {name!s:<24} {rate(group, hit)}")


def _ended_early(row: Row) -> bool:
    return row.ended_early


def _waits(row: Row) -> bool:
    return row.decision == "wait"


def _split(row: Row) -> bool:
    return row.split


def _says_end(row: Row) -> bool:
    return row.decision == "end"


def _subkind(row: Row) -> str:
    return row.subkind


def _voice(row: Row) -> str:
    return row.voice


def _pause(row: Row) -> str:
    return f"{row.pause:.1f} s"


def _channel(row: Row) -> str:
    return f"noise={'yes' if row.noise != 'none' else 'no'} opus={'yes' if row.opus else 'no'}"


def print_misses(rows: list[Row], policy: TurnPolicy) -> None:
    """The transcripts behind every false cut-off and missed end, which is where a rule gets tuned."""
    print("\nFalse cut-offs (incomplete) and missed ends (final):")
    for row in rows:
        cut = row.kind == "incomplete" and row.pause <= policy.max_pause_seconds and row.ended_early
        if cut or (row.kind == "final" and row.decision == "wait"):
            print(f"  [{row.kind}/{row.subkind} {row.pause:g}s {row.voice} p={row.probability:.2f}] "
                  f"{row.text!r} -> {row.decision}: {row.reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--limit", type=int, default=None, help="only the first N spoken answers")
    parser.add_argument("--json", type=Path, default=None, help="write every point's row here")
    parser.add_argument("--replay", type=Path, default=None, help="judge an earlier --json run's readings again")
    args = parser.parse_args()
    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    from pipecat.audio.turn.smart_turn.local_smart_turn_v3 import LocalSmartTurnAnalyzerV3

    parity = {"dev": 0, "test": 1}.get(args.split)
    scripts = None if parity is None else [i for i in range(len(SCRIPTS)) if i % 2 == parity]
    settings = Settings()
    policy = TurnPolicy.from_settings(settings)
    if args.replay is not None:
        rows = [row for row in replay(args.replay, policy) if scripts is None or row.script in scripts]
        print(f"replayed {len(rows)} points of {args.replay} ({args.split}) with today's rules; policy: {policy}")
        print_misses(rows, policy)
        report(rows, policy)
        return
    corpus = build_corpus(args.limit, script_ids=scripts)
    kinds = Counter(point.kind for answer in corpus for point in answer.points)
    print(f"{len(corpus)} spoken answers ({args.split}), points: {dict(kinds)}")
    print(f"voices: {', '.join(sorted({a.voice for a in corpus}))}; policy: {policy}")
    if settings.voice_incremental_stt:
        print(f"incremental transcription, stretches of at least {settings.voice_stt_stretch_seconds} s")
    stt = stt_from_settings(settings)
    stt.warm_up()  # type: ignore[attr-defined]
    smart_turn = LocalSmartTurnAnalyzerV3(sample_rate=RATE)
    sentence_end = shared_sentence_end() if policy.sure_sentence_end > 0 else None
    rows: list[Row] = []
    started = time.perf_counter()
    for number, answer in enumerate(corpus, 1):
        rows += assess_answer(
            answer, stt=stt, smart_turn=smart_turn, policy=policy, sentence_end=sentence_end,
            stretch_seconds=settings.voice_stt_stretch_seconds if settings.voice_incremental_stt else None,
        )
        print(f"  {number}/{len(corpus)} answers, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print_misses(rows, policy)
    report(rows, policy)
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=1), encoding="utf-8")
        print(f"\nrows written to {args.json}")


if __name__ == "__main__":
    main()
