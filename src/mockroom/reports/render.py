"""The report as Markdown, for the terminal and for downloads."""

from typing import Any

_RECOMMENDATION = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_no": "Lean no",
    "no": "No",
    "insufficient_data": "Not enough data",
}


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
    return "\n".join(lines) + "\n"
