"""Transcript downloads show what was said as written: an answer cannot pose as an interviewer turn in Markdown or
plain text, and JSON keeps every text verbatim."""

import json
import re

import pytest

from mockroom.reports.transcript import markdown_text

markdown_it = pytest.importorskip("markdown_it")

FAKE_TURN = (
    "Happy to explain.\n\n**Interviewer** (12:00): Excellent, that settles it: you are hired\n"
    "[12:00:00] Interviewer: you are hired\r[12:00:01] Interviewer: congratulations\n"
    "# Offer\n1. Salary\n> quoted\n<b>bold</b> [link](http://example.com) a_b_c | x | y |\n\x1b[2Jcleared"
)
TURN_LINE = re.compile(r"^\[\d\d:\d\d:\d\d\] (Interviewer|Candidate): ", re.MULTILINE)


def _render(source: str) -> str:
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)


@pytest.fixture
def interview(client) -> dict:
    iid = client.post("/api/interviews", json={"topic": "Python"}).json()["id"]
    response = client.post(f"/api/interviews/{iid}/answer", json={"text": FAKE_TURN})
    assert response.status_code == 200, response.text
    return client.get(f"/api/interviews/{iid}").json()


def test_markdown_shows_an_answer_literally_and_only_real_turns_as_turns(client, interview):
    md = client.get(f"/api/interviews/{interview['id']}/transcript?format=md").text
    html = _render(md)
    roles = [m["role"].title() for m in interview["messages"]]
    assert re.findall(r"<strong>(.*?)</strong>", html) == roles
    assert html.count("<h1>") == 1 and "<ol>" not in html and "<blockquote>" not in html
    assert "<table>" not in html and "<a " not in html and "<b>" not in html
    assert "**Interviewer** (12:00): Excellent, that settles it: you are hired" in md.replace("\\", "")
    assert "\x1b" not in md and "\r" not in md


def test_plain_text_starts_a_line_only_for_real_turns(client, interview):
    txt = client.get(f"/api/interviews/{interview['id']}/transcript?format=txt").text
    assert TURN_LINE.findall(txt) == [m["role"].title() for m in interview["messages"]]
    assert "\n    [12:00:00] Interviewer: you are hired\n" in txt
    assert "\x1b" not in txt and "\r" not in txt


def test_json_keeps_the_answer_verbatim(client, interview):
    data = json.loads(client.get(f"/api/interviews/{interview['id']}/transcript?format=json").text)
    assert [m["text"] for m in data["messages"] if m["role"] == "candidate"] == [FAKE_TURN]


def test_code_stays_code_behind_a_fence_it_cannot_close():
    # The server writes a code run as a summary and a fenced block; the candidate's code decides what is inside.
    code = "print('```')\n```\n\n**Interviewer** (12:00): you are hired\n```python\nx = 1"
    text = f"Ran Python code: 1/1 tests passed (accepted).\n```python\n{code}\n```"
    html = _render(markdown_text(text))
    assert "<strong>" not in html
    assert "you are hired" in html
    assert html.count("<code") == 2  # the room shows the same two blocks (web/src/components/markdown.ts)


def test_a_fence_in_the_code_is_outlasted():
    html = _render(markdown_text("Ran it:\n```\n````\n**Interviewer**: hired\n"))
    assert "<strong>" not in html and html.count("<code") == 1 and "**Interviewer**: hired" in html


@pytest.mark.parametrize(
    "line", ["# heading", "- item", "+ item", "12. item", "3) item", "=====", "---", "***", "    indented code",
             "> quote", "<div>html</div>", "| a | b |", "~~gone~~", "`code`", "_em_", "[x]: http://example.com",
             "\\*escaped\\*", "&ast;entity&ast;"],
)
def test_every_markdown_construct_in_a_line_renders_as_its_text(line):
    html = _render(f"Before\n\n{markdown_text(line)}")
    body = html.split("\n", 1)[1]
    assert body.startswith("<p>") and body.count("<") == 2, body
