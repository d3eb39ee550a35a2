"""LLM providers: one interface (`LLMProvider`), one module per vendor, chosen from the settings."""

from mockroom.providers.llm.base import ChatMessage, Completion, LLMProvider, ProviderError
from mockroom.providers.llm.factory import provider_from_settings

__all__ = ["ChatMessage", "Completion", "LLMProvider", "ProviderError", "provider_from_settings"]
