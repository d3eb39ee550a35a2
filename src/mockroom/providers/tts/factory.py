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
        from mockroom.providers.speech.gemini_live import GeminiLiveSpeech

        return GeminiLiveSpeech(
            api_key=settings.gemini_api_key, model=settings.gemini_live_model, voice=settings.gemini_live_voice,
            url=settings.gemini_live_url, timeout_seconds=settings.gemini_live_timeout_seconds,
        )
    raise TextToSpeechError(
        f"Unknown text-to-speech provider {settings.tts_provider!r}: use hibari, piper, elevenlabs or gemini_live."
    )
