"""The report as Markdown, for the terminal and for downloads."""

import re
from typing import Any

_RECOMMENDATION = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_no": "Lean no",
    "no": "No",
    "insufficient_data": "Not enough data",
}
_STAGES = (
    ("transcript_ms", "Transcript"),
    ("first_brain_output_ms", "Brain"),
    ("first_tts_audio_ms", "TTS"),
    ("first_audio_sent_ms", "Sent"),
)


# Per-answer notes ("Q3 (strong, grade 4.4/5). covered: ...") are the question section's business, not the notes'.
_ASSESSMENT_NOTE = re.compile(r"^Q\d+ \((?:strong|adequate|weak|no_answer|gibberish|off_topic)")


def report_markdown(report: dict[str, Any], *, topic: str = "") -> str:
    """A readable Markdown version of the report."""
    lines = [
        f"# Feedback report{': ' + topic if topic else ''}",
        "",
        f"**Overall: {report['overall_score']}/100 — {_RECOMMENDATION[report['recommendation']]}**",
        "",
        report["summary"],
        "",
        "## Dimensions",
        "",
    ]
    for dimension in report["dimensions"]:
        lines.append(f"### {dimension['name']}: {dimension['score']}/5")
        lines.append(dimension["rationale"])
        lines += [f"> \"{quote}\"" for quote in dimension["evidence"]]
        lines.append("")
    for key, title in (("strengths", "Strengths"), ("improvements", "To improve")):
        if report[key]:
            lines += [f"## {title}", ""]
            for item in report[key]:
                lines.append(f"- {item['text']}")
                lines += [f"  > \"{quote}\"" for quote in item["evidence"]]
                if item.get("suggestion"):
                    lines.append(f"  Suggestion: {item['suggestion']}")
            lines.append("")
    lines += ["## Questions", ""]
    for question in report["questions"]:
        lines += [
            f"**Q{question['number']}. {question['question']}**",
            f"- Your answer: {question['answer_summary']}",
            f"- Assessment: {question['assessment']}",
            f"- Model answer: {question['model_answer']}",
            "",
        ]
    analytics = report["analytics"]
    lines += [
        "## Analytics",
        "",
        f"- Questions answered: {analytics['answered']}",
        f"- Words: {analytics['words']}",
        f"- Filler words: {analytics['filler_words']}",
    ]
    if analytics.get("words_per_minute"):
        lines.append(f"- Words per minute: {analytics['words_per_minute']}")
    notes = [n for n in report.get("notes", []) if not _ASSESSMENT_NOTE.match(n)]
    if notes:
        lines += ["", "## Interviewer's notes", "", *[f"- {note}" for note in notes]]
    if report.get("voice_latency"):
        lines += ["", *_voice_latency(report["voice_latency"])]
    return "\n".join(lines) + "\n"


def _voice_latency(appendix: dict[str, Any]) -> list[str]:
    summary = appendix["summary"]
    lines = [
        "## Appendix: voice latency",
        "",
        "Each stage is timed from the end of the candidate's speech: transcript ready, first output of the brain,"
        " first synthesised audio, first audio sent to the browser.",
        "",
        f"- Spoken turns: {summary['count']}",
        f"- Voice to voice: {_ms(summary['voice_to_voice_p50_ms'])} median, "
        f"{_ms(summary['voice_to_voice_p95_ms'])} at the 95th percentile",
        "- Median per stage: " + ", ".join(
            f"{label} {_ms(summary['median'][stage])}" for stage, label in _STAGES
        ),
        "",
        "| Reply | " + " | ".join(label for _, label in _STAGES) + " | Voice to voice |",
        "|---|" + "---:|" * (len(_STAGES) + 1),
    ]
    for turn in appendix["turns"]:
        reply = f"#{turn['seq']} " + turn["text"].replace("|", "\\|")
        figures = [_ms(turn[stage]) for stage, _ in _STAGES] + [_ms(turn["voice_to_voice_ms"])]
        lines.append(f"| {reply} | " + " | ".join(figures) + " |")
    return lines


def _ms(value: int | None) -> str:
    return "—" if value is None else f"{value} ms"
