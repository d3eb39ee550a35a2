"""Builds the configured LLM provider from the settings, or says exactly what is missing."""

from urllib.parse import urlsplit

from mockroom.core.config import Settings
from mockroom.providers.llm.base import LLMProvider, ProviderError, RetryPolicy

PROVIDERS = ("none", "openai", "gemini", "local")


def provider_from_settings(settings: Settings) -> LLMProvider | None:
    """The provider `MOCKROOM_LLM_PROVIDER` names; None for "none"; ProviderError(config) when misconfigured."""
    kind = settings.llm_provider.strip().lower()
    retry = RetryPolicy(max_retries=max(0, settings.llm_max_retries))
    if kind in ("", "none"):
        return None
    if kind == "openai":
        return _openai(settings, retry)
    if kind == "gemini":
        return _gemini(settings, retry)
    if kind == "local":
        return _local(settings)
    raise ProviderError(
        "config", f"Unknown MOCKROOM_LLM_PROVIDER {settings.llm_provider!r}; use one of: {', '.join(PROVIDERS)}."
    )


def _openai(settings: Settings, retry: RetryPolicy) -> LLMProvider:
    from mockroom.providers.llm.openai_compat import OpenAICompatProvider

    url = urlsplit(settings.llm_base_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ProviderError("config", "MOCKROOM_LLM_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1.")
    if not settings.llm_model:
        raise ProviderError("config", "Set MOCKROOM_LLM_MODEL to the model the server should run (e.g. gpt-4o-mini).")
    if url.hostname == "api.openai.com" and not settings.llm_api_key:
        raise ProviderError("config", "OpenAI needs a key: set MOCKROOM_LLM_API_KEY.")
    return OpenAICompatProvider(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_seconds,
        retry=retry,
    )


def _gemini(settings: Settings, retry: RetryPolicy) -> LLMProvider:
    from mockroom.providers.llm.gemini import GeminiProvider

    if not settings.gemini_api_key:
        raise ProviderError("config", "Gemini needs a key: set MOCKROOM_GEMINI_API_KEY.")
    if not settings.llm_model:
        raise ProviderError("config", "Set MOCKROOM_LLM_MODEL to a Gemini model (e.g. gemini-2.5-flash).")
    return GeminiProvider(
        api_key=settings.gemini_api_key,
        model=settings.llm_model,
        base_url=settings.gemini_base_url,
        timeout=settings.llm_timeout_seconds,
        retry=retry,
    )


def _local(settings: Settings) -> LLMProvider:
    from mockroom.providers.llm.local_gguf import LocalGGUFProvider

    if settings.llm_model_path is None:
        raise ProviderError("config", "The local provider needs a GGUF file: set MOCKROOM_LLM_MODEL_PATH.")
    return LocalGGUFProvider(
        model_path=settings.llm_model_path.expanduser(),
        model=settings.llm_model,
        threads=settings.llm_threads,
        context_tokens=settings.llm_context_tokens,
        timeout=settings.llm_timeout_seconds,
    )
