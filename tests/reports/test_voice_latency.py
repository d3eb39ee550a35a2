"""The report's appendix on voice latency: one row per spoken turn, percentiles, nothing for a typed interview."""

from mockroom.brains.embedded import EmbeddedBrain
from mockroom.db.models import Message
from mockroom.interviews import conductor
from mockroom.reports import voice_latency
from mockroom.reports.builder import build_report
from mockroom.reports.render import report_markdown
from mockroom.vocabulary import InterviewContext

BRAIN = EmbeddedBrain()
ANSWERS = [
    "I work as a data analyst and write SQL every day for reporting at a retailer.",
    "An inner join keeps only rows that match in both tables, while a left join keeps every row of the left table.",
    "I would filter on the right table's key being NULL after a left join, because those rows had no match.",
    "A primary key uniquely identifies each row, and a foreign key points at another table's primary key.",
    "An index is a B-tree that finds rows without scanning the whole table, at the cost of slower writes.",
]


def _latency(voice_to_voice: int | None, *, transcript: int = 400) -> dict[str, int | None]:
    """A turn's breakdown as the voice layer stores it; a turn cut short never sends audio."""
    return {
        "transcript_ms": transcript,
        "first_brain_output_ms": transcript + 200,
        "first_tts_audio_ms": transcript + 300,
        "first_audio_sent_ms": voice_to_voice,
        "voice_to_voice_ms": voice_to_voice,
    }


def _interview(spoken: list[dict[str, int | None] | None]):
    """Runs the conductor through the answers; `spoken[i]` is the latency of turn i, None for a typed answer."""
    context = InterviewContext(topic="SQL", level="beginner", kind="mixed", duration_minutes=25,
                               matched_topics=["sql-databases"])
    state, opening = conductor.start(context=context, brain=BRAIN, now=0.0)
    messages = [Message(seq=seq, role="interviewer", text=reply.text) for seq, reply in enumerate(opening, 1)]
    for index, (text, latency) in enumerate(zip(ANSWERS, spoken, strict=True)):
        meta = {"voice": {"latency": latency}} if latency is not None else None
        messages.append(Message(seq=len(messages) + 1, role="candidate", text=text, meta=meta))
        reply = conductor.respond(state=state, message=text, brain=BRAIN, now=30.0 * (index + 1),
                                  seq=len(messages), duration_seconds=20.0)
        messages.append(Message(seq=len(messages) + 1, role="interviewer", text=reply.text, meta=meta))
    conductor.end(state=state, now=30.0 * (len(ANSWERS) + 1))
    report = build_report(state=state, transcript=ANSWERS, interview_id="t")
    # As service.current_report serves it: the appendix read from the stored messages, in whatever order they come.
    report["voice_latency"] = voice_latency.appendix(reversed(messages))
    return report, messages


def test_a_turn_a_hosted_avatar_spoke_carries_its_video_stage():
    spoken = [{**_latency(1300), "first_avatar_video_ms": 1450}, None, _latency(1400), None, None]
    report, _ = _interview(spoken)
    assert [t["first_avatar_video_ms"] for t in report["voice_latency"]["turns"]] == [1450, None]


def test_one_row_per_spoken_turn_keyed_by_the_reply():
    spoken = [_latency(1000), None, _latency(1400), _latency(1200), _latency(3000)]
    report, messages = _interview(spoken)
    turns = report["voice_latency"]["turns"]
    replies = [m for m in messages if m.role == "interviewer" and m.meta]
    assert [t["seq"] for t in turns] == [m.seq for m in replies]
    assert [t["voice_to_voice_ms"] for t in turns] == [1000, 1400, 1200, 3000]
    assert turns[0] == {"seq": replies[0].seq, "text": turns[0]["text"], **_latency(1000), "first_avatar_video_ms": None}
    for turn, reply in zip(turns, replies, strict=True):
        assert len(turn["text"]) <= 80
        assert reply.text.startswith(turn["text"].removesuffix("…"))


def test_summary_gives_percentiles_of_voice_to_voice_and_stage_medians():
    spoken = [_latency(1000, transcript=300), _latency(1200), _latency(1400, transcript=500), _latency(1600),
              _latency(3000)]
    summary = _interview(spoken)[0]["voice_latency"]["summary"]
    assert summary["count"] == 5
    assert summary["voice_to_voice_p50_ms"] == 1400
    assert summary["voice_to_voice_p95_ms"] == 2720  # 1600 + 0.8 × (3000 − 1600), between the two slowest
    assert summary["median"] == {
        "transcript_ms": 400, "first_brain_output_ms": 600, "first_tts_audio_ms": 700, "first_audio_sent_ms": 1400,
    }


def test_a_turn_without_audio_counts_but_stays_out_of_the_percentiles():
    spoken = [_latency(1000), _latency(None), None, None, {"transcript_ms": 700}]
    appendix = _interview(spoken)[0]["voice_latency"]
    assert appendix["summary"]["count"] == 3
    assert appendix["summary"]["voice_to_voice_p50_ms"] == appendix["summary"]["voice_to_voice_p95_ms"] == 1000
    assert appendix["summary"]["median"]["transcript_ms"] == 400
    missing = appendix["turns"][2]
    assert missing["transcript_ms"] == 700 and missing["first_brain_output_ms"] is missing["voice_to_voice_ms"] is None


def test_a_typed_interview_has_no_appendix():
    report, _ = _interview([None] * len(ANSWERS))
    assert report["voice_latency"] is None
    assert "voice latency" not in report_markdown(report)


def test_markdown_has_the_summary_and_a_row_per_turn():
    report, _ = _interview([_latency(1000), _latency(1200), None, None, _latency(None)])
    markdown = report_markdown(report)
    section = markdown.split("## Appendix: voice latency", 1)[1]
    assert "- Spoken turns: 3" in section
    assert "- Voice to voice: 1100 ms median, 1190 ms at the 95th percentile" in section
    assert "| Reply | Transcript | Brain | TTS | Sent | Voice to voice |" in section
    rows = [line for line in section.splitlines() if line.startswith("| #")]
    assert len(rows) == 3
    assert rows[0].endswith("| 400 ms | 600 ms | 700 ms | 1000 ms | 1000 ms |")
    assert rows[2].endswith("| 400 ms | 600 ms | 700 ms | — | — |")
