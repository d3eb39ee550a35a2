"""Picks the speech-to-text provider named in the settings."""

from mockroom.core.config import Settings
from mockroom.providers.stt.base import SpeechToText, SpeechToTextError


def stt_from_settings(settings: Settings) -> SpeechToText:
    """whisper (embedded, default), deepgram or gemini_live."""
    if settings.stt_provider == "whisper":
        from mockroom.providers.stt.whisper import WhisperSpeechToText

        return WhisperSpeechToText(
            model=settings.stt_model, threads=settings.stt_threads, workers=settings.stt_workers,
            short_window=settings.stt_short_window,
            cache_dir=settings.cache_dir,
            language=None if settings.stt_language == "auto" else settings.stt_language,
        )
    if settings.stt_provider == "deepgram":
        from mockroom.providers.stt.deepgram import DeepgramSpeechToText

        return DeepgramSpeechToText(
            api_key=settings.deepgram_api_key, url=settings.deepgram_url, model=settings.deepgram_model
        )
    if settings.stt_provider == "gemini_live":
        from mockroom.providers.speech.gemini_live import gemini_live_from_settings

        return gemini_live_from_settings(settings)
    raise SpeechToTextError(
        f"Unknown speech-to-text provider {settings.stt_provider!r}: use whisper, deepgram or gemini_live."
    )
