"""Chooses the brain from the settings: the LLM brain when a provider is configured, else embedded."""

import logging

from mockroom.brains.base import Brain
from mockroom.brains.embedded import EmbeddedBrain
from mockroom.core.config import Settings
from mockroom.providers.llm.base import ProviderError

log = logging.getLogger(__name__)


def brain_from_settings(settings: Settings) -> Brain:
    """The configured brain; a misconfigured provider raises with a message saying what to set."""
    if settings.llm_provider in ("", "none", "embedded"):
        return EmbeddedBrain()
    from mockroom.brains.llm import LLMBrain
    from mockroom.providers.llm import provider_from_settings

    provider = provider_from_settings(settings)
    if provider is None:
        return EmbeddedBrain()
    brain = LLMBrain(
        provider, turn_budget=settings.llm_turn_budget_seconds,
        voice_turn_budget=settings.llm_voice_turn_budget_seconds, report_budget=settings.llm_report_budget_seconds,
    )
    if settings.llm_calibrate:
        try:
            brain.calibrate()
        except ProviderError as error:
            log.warning("Could not time %s on this machine (%s); it is given every turn", brain.name, error)
    return brain
