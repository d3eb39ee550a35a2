"""Google Gemini through the `google-genai` SDK, its retries off so the shared policy owns them."""

import re
import time
from typing import TYPE_CHECKING, Any, NoReturn

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
    retry_after_seconds,
)

if TYPE_CHECKING:
    from google.genai import types

_NOT_OPENAPI = frozenset({"$defs", "$ref", "$schema", "$id", "title", "additionalProperties"})
_RETRY_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")

# google-genai sends through httpx2 (a fork of httpx) when it is installed, else httpx.
try:
    import httpx2

    _HTTP_MODULES: tuple[Any, ...] = (httpx, httpx2)
except ImportError:
    _HTTP_MODULES = (httpx,)
_TIMEOUT_ERRORS = tuple(module.TimeoutException for module in _HTTP_MODULES)
_TRANSPORT_ERRORS = tuple(module.TransportError for module in _HTTP_MODULES)


class GeminiProvider(LLMProvider):
    """Gemini's generateContent and streamGenerateContent, system message as the system instruction."""

    name = "gemini"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str = "",
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(model=model, timeout=timeout, retry=retry, secrets=(api_key,))
        try:
            from google import genai
            from google.genai import types
        except ImportError:
            raise ProviderError(
                "config", "The Gemini provider needs google-genai: pip install 'google-genai==3.4.0' (or scripts/setup.sh)."
            ) from None
        self._types = types
        options = types.HttpOptions(base_url=base_url or None, timeout=round(timeout * 1000))
        self._client = genai.Client(api_key=api_key, vertexai=False, http_options=options)
        self._json_schema_supported = True

    def close(self) -> None:
        self._client.close()

    def _complete(
        self, messages: list[ChatMessage], *, json_schema: dict[str, Any] | None, max_tokens: int, temperature: float,
        timeout: float | None,
    ) -> Completion:
        system, contents = self._contents(messages)
        config = self._config(
            system, json_schema=json_schema, max_tokens=max_tokens, temperature=temperature, timeout=timeout
        )
        ends = None if timeout is None else time.monotonic() + timeout
        try:
            response = self._generate(contents, config)
        except ProviderError as error:
            if json_schema is None or not self._json_schema_supported or (error.kind, error.status) != ("config", 400):
                raise
            response = self._generate_with_openapi_schema(
                system, contents, json_schema, max_tokens=max_tokens, temperature=temperature, ends=ends
            )
        text = _text(response)
        if not text:
            raise ProviderError("bad_response", f"Gemini returned no text ({_why_empty(response)}).")
        usage = _usage(response)
        return Completion(
            text=text,
            model=response.model_version or self.model,
            provider=self.name,
            latency_ms=0.0,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )

    def _generate(
        self, contents: "list[types.Content]", config: "types.GenerateContentConfig"
    ) -> "types.GenerateContentResponse":
        try:
            return self._client.models.generate_content(model=self.model, contents=contents, config=config)
        except Exception as error:
            _raise_mapped(error)

    def _generate_with_openapi_schema(
        self, system: str | None, contents: "list[types.Content]", json_schema: dict[str, Any], *, max_tokens: int,
        temperature: float, ends: float | None,
    ) -> "types.GenerateContentResponse":
        """Older models and some proxies reject responseJsonSchema; the OpenAPI-subset responseSchema may work, and
        if it does it is used from then on."""
        left = None if ends is None else ends - time.monotonic()
        if left is not None and left <= 0:
            raise ProviderError("timeout", "No time left to retry with Gemini's responseSchema.", retryable=False)
        config = self._config(system, json_schema=None, max_tokens=max_tokens, temperature=temperature, timeout=left)
        config.response_mime_type = "application/json"
        config.response_schema = openapi_schema(json_schema)
        response = self._generate(contents, config)
        self._json_schema_supported = False
        return response

    def _stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float, timeout: float | None
    ) -> Events:
        system, contents = self._contents(messages)
        config = self._config(system, json_schema=None, max_tokens=max_tokens, temperature=temperature, timeout=timeout)
        usage = Usage()
        try:
            for chunk in self._client.models.generate_content_stream(model=self.model, contents=contents, config=config):
                if chunk.usage_metadata is not None:
                    usage = _usage(chunk)
                text = _text(chunk)
                if text:
                    yield text
        except ProviderError:
            raise
        except Exception as error:
            _raise_mapped(error)
        yield usage

    def _contents(self, messages: list[ChatMessage]) -> "tuple[str | None, list[types.Content]]":
        types = self._types
        system = "\n\n".join(message.content for message in messages if message.role == "system") or None
        contents = [
            types.Content(role="model" if message.role == "assistant" else "user", parts=[types.Part(text=message.content)])
            for message in messages
            if message.role != "system"
        ]
        return system, contents

    def _config(
        self, system: str | None, *, json_schema: dict[str, Any] | None, max_tokens: int, temperature: float,
        timeout: float | None,
    ) -> "types.GenerateContentConfig":
        config = self._types.GenerateContentConfig(
            system_instruction=system,
            max_output_tokens=max_tokens,
            temperature=temperature,
            automatic_function_calling=self._types.AutomaticFunctionCallingConfig(disable=True),
        )
        if timeout is not None:
            # Per request, in milliseconds; it overrides the client's timeout for this call only.
            config.http_options = self._types.HttpOptions(timeout=max(1, round(min(self.timeout, timeout) * 1000)))
        if json_schema is not None:
            config.response_mime_type = "application/json"
            if self._json_schema_supported:
                config.response_json_schema = json_schema
            else:
                config.response_schema = openapi_schema(json_schema)
        return config


def openapi_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema cut to the OpenAPI subset `responseSchema` takes: `$ref`s inlined from `$defs`, keywords it
    does not know dropped."""
    definitions = schema.get("$defs") or {}

    def cut(node: Any) -> Any:
        if isinstance(node, list):
            return [cut(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return cut(definitions[ref.removeprefix("#/$defs/")])
        kept: dict[str, Any] = {}
        for key, value in node.items():
            if key == "properties":
                kept[key] = {name: cut(sub) for name, sub in value.items()}
            elif key not in _NOT_OPENAPI:
                kept[key] = cut(value)
        return kept

    return dict(cut(schema))


def _text(response: "types.GenerateContentResponse") -> str:
    if not response.candidates or response.candidates[0].content is None:
        return ""
    parts = response.candidates[0].content.parts or []
    return "".join(part.text for part in parts if isinstance(part.text, str) and not part.thought)


def _usage(response: "types.GenerateContentResponse") -> Usage:
    meta = response.usage_metadata
    if meta is None:
        return Usage()
    return Usage(input_tokens=meta.prompt_token_count, output_tokens=meta.candidates_token_count)


def _why_empty(response: "types.GenerateContentResponse") -> str:
    if response.prompt_feedback is not None and response.prompt_feedback.block_reason is not None:
        return f"prompt blocked: {response.prompt_feedback.block_reason}"
    if response.candidates and response.candidates[0].finish_reason is not None:
        return f"finish reason {response.candidates[0].finish_reason}"
    return "no candidates"


def _raise_mapped(error: Exception) -> NoReturn:
    from google.genai import errors

    if isinstance(error, errors.APIError):
        _raise_api_error(error)
    if isinstance(error, _TIMEOUT_ERRORS):
        raise ProviderError("timeout", f"Gemini did not answer in time ({type(error).__name__}).") from None
    if isinstance(error, _TRANSPORT_ERRORS):
        raise ProviderError("unavailable", f"Cannot reach Gemini ({type(error).__name__}: {error}).") from None
    raise ProviderError("bad_response", f"Gemini reply could not be read ({type(error).__name__}: {error}).") from None


def _raise_api_error(error: Any) -> NoReturn:
    code = int(error.code or 0)
    detail = error_text(error.details)
    message = f"Gemini HTTP {code} {error.status or ''}: {detail}".replace("  ", " ")
    headers = getattr(error.response, "headers", None)
    if code == 429:
        retry_after = retry_after_seconds(headers) or _retry_info_delay(error.details)
        raise ProviderError("rate_limited", message, retry_after=retry_after, status=code)
    # Gemini answers a bad key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID.
    if code in (401, 403) or (code == 400 and ("API_KEY" in str(error.details) or "API key" in detail)):
        raise ProviderError("auth", f"Gemini refused the API key: {detail}", status=code)
    if code == 408 or code == 504:
        raise ProviderError("timeout", message, status=code)
    if code >= 500:
        raise ProviderError("server", message, retry_after=retry_after_seconds(headers), status=code)
    raise ProviderError("config", message, status=code)


def _retry_info_delay(details: Any) -> float | None:
    """The `retryDelay` of a google.rpc.RetryInfo in the error body, which Gemini sends instead of Retry-After."""
    inner = details.get("error", details) if isinstance(details, dict) else None
    for item in (inner or {}).get("details") or []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("RetryInfo"):
            match = _RETRY_DELAY.match(str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None
