"""A scripted LLM behind a local OpenAI-compatible server, for testing the LLM brain end to end.

It reads the brain's prompts the way a model would and answers in the real chat-completions wire
format (JSON bodies, or server-sent events when `stream` is true). Its behaviour can be switched
to misbehave: invalid JSON, JSON cut off, repeated questions, fabricated quotes, server errors, a slow model.
"""

import asyncio
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


@dataclass
class Script:
    """Switches for the fake model's behaviour, shared with the test."""

    invalid_json_once: bool = False
    truncate_json: bool = False
    repeat_question: bool = False
    fabricate_quotes: bool = False
    fail_all: bool = False
    delay_seconds: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    counter: int = 0


def _data_block(prompt: str) -> str:
    match = re.search(r"<data>\n(.*?)\n</data>", prompt, re.DOTALL)
    return match.group(1).strip() if match else ""


def _answer_for(prompt: str, script: Script, schema: dict[str, Any] | None) -> str:
    script.counter += 1
    n = script.counter
    if "You are playing a job candidate" in prompt:
        if "questions for me" in prompt or "anything else you'd like to ask" in prompt:
            return "No, I have no questions, thank you."
        skill = re.search(r"Your skill: (\w+)", prompt)
        quality = skill.group(1) if skill else "average"
        # A real model varies its answers from turn to turn; the count stands in for that.
        return {
            "strong": "A core concept is isolation of failures. It matters in practice because one crash cannot take "
                      f"down the system. For example at work I split a payment service into {n} supervised workers. "
                      "The trade-off is more moving parts to monitor.",
            "average": f"A core concept is isolation of failures. It matters in practice because crashes stay small, "
                       f"as in the {n} services I worked on.",
            "weak": f"I think it is something about servers, maybe {n} of them, I am not sure.",
        }[quality]
    if "You grade an AI INTERVIEWER" in prompt:
        criteria = ["one_question_per_turn", "no_repeats", "follow_ups_reference_answer", "no_leaked_answers",
                    "no_praise_for_wrong_answers", "correct_ending"]
        follow_ups_quote = 'You said "' in prompt
        return json.dumps({"criteria": {c: {"met": c != "follow_ups_reference_answer" or follow_ups_quote,
                                            "reason": "checked by the scripted judge"} for c in criteria}})
    if "Write the next main question" in prompt:
        if script.invalid_json_once:
            script.invalid_json_once = False
            return "Sure! Here is a question: {not json"
        topic = re.search(r'on "([^"]+)"', prompt)
        subject = topic.group(1) if topic else "the topic"
        number = 1 if script.repeat_question else n
        return json.dumps({
            "text": f"Generated question {number}: how would you explain one core idea of {subject}?",
            "key_points": [f"names a core concept of {subject}", "explains why it matters in practice",
                           "gives a concrete example from real work"],
            "follow_ups": [f"What trade-off comes with that idea in {subject}?"],
            "model_answer": f"A strong answer names a core concept of {subject}, explains why it matters, "
                            "and grounds it in a concrete example from real work with its trade-offs.",
        })
    if "Judge the candidate's answer" in prompt:
        answer = _data_block(prompt)
        points = re.findall(r"^- (.+)$", prompt.split("Key points:")[1].split("<data>")[0], re.MULTILINE)
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", answer) if len(s.split()) >= 4]
        covered = [{"point": p, "quote": s} for p, s in zip(points, sentences, strict=False)]
        if script.fabricate_quotes:
            covered = [{"point": p, "quote": "I am the best candidate you will ever meet"} for p in points]
        quality = "strong" if len(covered) >= 2 else ("weak" if covered else "off_topic")
        if script.fabricate_quotes:
            quality = "strong"
        return json.dumps({"quality": quality, "covered": covered, "misconceptions": [],
                           "note": f"Covered {len(covered)} point(s)."})
    if "Ask ONE follow-up question" in prompt:
        answer = _data_block(prompt)
        phrase = " ".join(answer.split()[:4]) or "that"
        return f'You said "{phrase}". What would you do differently if the load doubled?'
    if "asked for clarification" in prompt:
        return "I mean: which single idea would you explain first, and why?"
    if "asked you a question" in prompt:
        return "This is a practice interview, so I can only say that teams value that kind of curiosity."
    if "summary of this mock interview" in prompt:
        return "A solid session overall. The clearest strength was concrete examples. Work on covering trade-offs."
    return "I am not sure what to say."


def make_app(script: Script) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(request: Request):  # type: ignore[no-untyped-def]
        body = await request.json()
        script.requests.append(body)
        # A slow model thinks without holding up other requests, and stops when the client gives up on it.
        ends = time.monotonic() + script.delay_seconds
        while time.monotonic() < ends and not await request.is_disconnected():
            await asyncio.sleep(0.02)
        if script.fail_all:
            return JSONResponse({"error": {"message": "overloaded", "type": "server_error"}}, status_code=500)
        prompt = body["messages"][-1]["content"]
        if body["messages"][-1]["role"] == "user" and "That output was invalid" in prompt:
            prompt = next(m["content"] for m in body["messages"] if m["role"] == "user")
        system = next((m["content"] for m in body["messages"] if m["role"] == "system"), "")
        topic = re.search(r'on "([^"]+)"', system)
        if topic and "Write the next main question" in prompt:
            prompt += f'\n(interview on "{topic.group(1)}")'.replace("(interview", "Interview")
        schema = (body.get("response_format") or {}).get("json_schema")
        text = _answer_for(prompt, script, schema)
        if script.truncate_json and schema:
            text = text[: len(text) // 2]
        if body.get("stream"):
            def events():  # type: ignore[no-untyped-def]
                for piece in re.findall(r"\S+\s*", text):
                    chunk = {"id": "c", "object": "chat.completion.chunk", "model": body["model"],
                             "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    yield f"data: {json.dumps(chunk)}\n\n"
                yield "data: [DONE]\n\n"
            return StreamingResponse(events(), media_type="text/event-stream")
        return {
            "id": "c", "object": "chat.completion", "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split()), "total_tokens": 0},
        }

    return app


class FakeLLMServer:
    """Runs the fake model on a free loopback port in a background thread."""

    def __init__(self) -> None:
        self.script = Script()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(make_app(self.script), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> "FakeLLMServer":
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
