"""Picks the text-to-speech provider named in the settings."""

from mockroom.core.config import Settings
from mockroom.providers.tts.base import TextToSpeech, TextToSpeechError


def tts_from_settings(settings: Settings) -> TextToSpeech:
    """hibari (embedded, default), piper (embedded, optional extra), elevenlabs or gemini_live."""
    if settings.tts_provider == "hibari":
        from mockroom.providers.tts.hibari import HibariTextToSpeech

        return HibariTextToSpeech(voice=settings.tts_voice)
    if settings.tts_provider == "piper":
        from mockroom.providers.tts.piper import PiperTextToSpeech

        return PiperTextToSpeech()
    if settings.tts_provider == "elevenlabs":
        from mockroom.providers.tts.elevenlabs import ElevenLabsTextToSpeech

        return ElevenLabsTextToSpeech(
            api_key=settings.elevenlabs_api_key, voice_id=settings.elevenlabs_voice_id,
            url=settings.elevenlabs_url, model=settings.elevenlabs_model,
        )
    if settings.tts_provider == "gemini_live":
        from mockroom.providers.speech.gemini_live import gemini_live_from_settings

        return gemini_live_from_settings(settings)
    raise TextToSpeechError(
        f"Unknown text-to-speech provider {settings.tts_provider!r}: use hibari, piper, elevenlabs or gemini_live."
    )
