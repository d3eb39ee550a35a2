"""The terminal: a whole interview from piped answers, then the stored report."""

import json
import os
import subprocess
import sys


def _run(args, tmp_path, stdin=""):
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(tmp_path), "MOCKROOM_DATABASE_URL": ""}
    env.pop("MOCKROOM_DATABASE_URL")
    return subprocess.run(
        [sys.executable, "-m", "mockroom", *args], input=stdin, capture_output=True, text=True, env=env, timeout=300,
    )


def test_practice_with_piped_answers_prints_the_report_and_report_reprints_it(tmp_path):
    answers = "\n".join([
        "I am a data engineer with four years of experience building pipelines in Python and SQL.",
        "An inner join keeps only matching rows while a left join keeps every row of the left table.",
        "skip",
        "I don't know.",
        "/end",
    ]) + "\n"
    result = _run(["practice", "--topic", "SQL", "--level", "beginner", "--format", "json"], tmp_path, answers)
    assert result.returncode == 0, result.stderr
    assert "Interviewer: Hi, I'm Alex" in result.stdout
    assert "You: An inner join keeps only matching rows" in result.stdout
    report_text = result.stdout[result.stdout.index("{"):]
    report = json.loads(report_text)
    assert report["recommendation"] == "insufficient_data"
    interview_id = report["interview_id"]

    again = _run(["report", interview_id], tmp_path)
    assert again.returncode == 0
    assert again.stdout.startswith("# Feedback report") and "Not enough data" in again.stdout
    as_json = json.loads(_run(["report", interview_id, "--format", "json"], tmp_path).stdout)
    assert as_json["generated_at"] == report["generated_at"]


def test_practice_with_a_cv_and_clear_errors(tmp_path):
    cv = tmp_path / "cv.md"
    cv.write_text("# Sam Lee\nProduct Manager\n\n## Experience\nProduct Manager at Shoply (2021 - Present)\n"
                  "- Launched a checkout redesign that lifted conversion by 12%\n")
    result = _run(["practice", "--topic", "product management", "--cv", str(cv)], tmp_path, "/end\n")
    assert result.returncode == 0, result.stderr
    assert "# Feedback report" in result.stdout

    bad = tmp_path / "cv.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    refused = _run(["practice", "--topic", "Python", "--cv", str(bad)], tmp_path)
    assert refused.returncode == 2 and "PNG" in refused.stderr
    assert _run(["practice", "--topic", ""], tmp_path).returncode == 2
    missing = _run(["report", "nope"], tmp_path)
    assert missing.returncode == 1 and "No interview" in missing.stderr
