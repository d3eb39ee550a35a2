"""OpenAI-compatible chat completions over HTTP: OpenAI, Ollama, vLLM, llama.cpp's and xllamacpp's servers."""

import json
import time
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx

from mockroom.providers.llm.base import (
    ChatMessage,
    Completion,
    Events,
    LLMProvider,
    ProviderError,
    RetryPolicy,
    Usage,
    error_text,
    logger,
    retry_after_seconds,
)

# OpenAI's own API wants the newer name (its reasoning models reject `max_tokens`); other servers know the old one.
_OPENAI_HOST = "api.openai.com"
_JSON_OBJECT = {"type": "json_object"}


class OpenAICompatProvider(LLMProvider):
    """Chat completions against any server that speaks OpenAI's `/chat/completions`, with SSE streaming."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(model=model, timeout=timeout, retry=retry, secrets=(api_key,))
        self.base_url = base_url.rstrip("/")
        on_openai = urlsplit(self.base_url).hostname == _OPENAI_HOST
        self._max_tokens_field = "max_completion_tokens" if on_openai else "max_tokens"
        # Servers without structured outputs (older vLLM, some proxies) answer 400 to a JSON schema.
        self._json_schema_supported = True
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=self.base_url, headers=headers, timeout=httpx.Timeout(timeout))

    def close(self) -> None:
        self._client.close()

    def _complete(
        self, messages: list[ChatMessage], *, json_schema: dict[str, Any] | None, max_tokens: int, temperature: float,
        timeout: float | None,
    ) -> Completion:
        body = self._body(messages, max_tokens=max_tokens, temperature=temperature)
        if json_schema is None:
            payload = self._post(body, timeout)
        elif not self._json_schema_supported:
            payload = self._post({**body, "response_format": _JSON_OBJECT}, timeout)
        else:
            payload = self._post_with_schema(body, json_schema, timeout)
        text = _message_text(payload)
        usage = _usage(payload)
        return Completion(
            text=text,
            model=str(payload.get("model") or self.model),
            provider=self.name,
            latency_ms=0.0,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )

    def _stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float, timeout: float | None
    ) -> Events:
        body = self._body(messages, max_tokens=max_tokens, temperature=temperature)
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
        # httpx's timeout bounds each read, so a stream that trickles is bounded here as a whole.
        ends = None if timeout is None else time.monotonic() + timeout
        try:
            with self._client.stream("POST", "/chat/completions", json=body, timeout=self._timeout(timeout)) as response:
                if response.status_code != 200:
                    response.read()
                    _raise_status(response)
                for line in response.iter_lines():
                    if ends is not None and time.monotonic() > ends:
                        raise ProviderError("timeout", "The LLM server's stream ran past the turn's budget.")
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    yield from _chunk_events(data)
        except httpx.HTTPError as error:
            _raise_transport(error)

    def _post_with_schema(self, body: dict[str, Any], schema: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        """Structured outputs with the schema; a server that rejects them (400) is asked once for plain JSON mode,
        and if that works it is asked that way from then on."""
        ends = None if timeout is None else time.monotonic() + timeout
        strict = {"name": _schema_name(schema), "schema": schema, "strict": True}
        response_format = {"type": "json_schema", "json_schema": strict}
        try:
            return self._post({**body, "response_format": response_format}, timeout)
        except ProviderError as error:
            if error.status != 400:
                raise
        left = None if ends is None else ends - time.monotonic()
        if left is not None and left <= 0:
            raise ProviderError("timeout", "No time left to retry without a JSON schema.", retryable=False)
        payload = self._post({**body, "response_format": _JSON_OBJECT}, left)
        self._json_schema_supported = False
        logger.info("llm provider=%s model=%s: server rejects JSON schemas, using JSON mode", self.name, self.model)
        return payload

    def _post(self, body: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        try:
            response = self._client.post("/chat/completions", json=body, timeout=self._timeout(timeout))
        except httpx.HTTPError as error:
            _raise_transport(error)
        if response.status_code != 200:
            _raise_status(response)
        return _json_body(response)

    def _timeout(self, timeout: float | None) -> httpx.Timeout:
        return httpx.Timeout(self.timeout if timeout is None else min(self.timeout, timeout))

    def _body(self, messages: list[ChatMessage], *, max_tokens: int, temperature: float) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": message.role, "content": message.content} for message in messages],
            self._max_tokens_field: max_tokens,
            "temperature": temperature,
        }


def _schema_name(schema: dict[str, Any]) -> str:
    title = str(schema.get("title") or "response")
    name = "".join(char if char.isalnum() or char in "_-" else "_" for char in title)
    return name[:64] or "response"


def _json_body(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        raise ProviderError("bad_response", f"Server sent a body that is not JSON: {response.text[:120]!r}") from None
    if not isinstance(payload, dict):
        raise ProviderError("bad_response", "Server sent JSON that is not an object.")
    return payload


def _message_text(payload: dict[str, Any]) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ProviderError("bad_response", "Reply has no choices[0].message.content.") from None
    if not isinstance(content, str):
        raise ProviderError("bad_response", "Reply content is empty (refused or cut off).")
    return content


def _usage(payload: dict[str, Any]) -> Usage:
    usage = payload.get("usage")
    if not isinstance(usage, dict):
        return Usage()
    return Usage(input_tokens=usage.get("prompt_tokens"), output_tokens=usage.get("completion_tokens"))


def _chunk_events(data: str) -> Events:
    try:
        chunk = json.loads(data)
    except ValueError:
        raise ProviderError("bad_response", f"Stream chunk is not JSON: {data[:120]!r}") from None
    if not isinstance(chunk, dict):
        raise ProviderError("bad_response", "Stream chunk is not a JSON object.")
    if "error" in chunk:
        raise ProviderError("server", f"Stream failed: {error_text(chunk)}")
    if chunk.get("usage"):
        yield _usage(chunk)
    for choice in chunk.get("choices") or []:
        content = (choice.get("delta") or {}).get("content")
        if isinstance(content, str) and content:
            yield content


def _raise_status(response: httpx.Response) -> NoReturn:
    status = response.status_code
    try:
        detail = error_text(response.json())
    except ValueError:
        detail = response.text[:300]
    message = f"HTTP {status} from the LLM server: {detail}"
    if status == 429:
        raise ProviderError("rate_limited", message, retry_after=retry_after_seconds(response.headers), status=status)
    if status in (401, 403):
        raise ProviderError("auth", f"HTTP {status}: the LLM server refused the API key: {detail}", status=status)
    if status == 408:
        raise ProviderError("timeout", message, status=status)
    if status >= 500:
        raise ProviderError("server", message, retry_after=retry_after_seconds(response.headers), status=status)
    raise ProviderError("config", message, status=status)


def _raise_transport(error: httpx.HTTPError) -> NoReturn:
    if isinstance(error, httpx.TimeoutException):
        raise ProviderError("timeout", f"LLM server did not answer in time ({type(error).__name__}).") from None
    if isinstance(error, httpx.TransportError):
        raise ProviderError("unavailable", f"Cannot reach the LLM server ({type(error).__name__}: {error}).") from None
    raise ProviderError("bad_response", f"HTTP error from the LLM server ({type(error).__name__}: {error}).") from None
