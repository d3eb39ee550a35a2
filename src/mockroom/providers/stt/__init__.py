"""Speech-to-text providers: one interface (`SpeechToText`), one module per vendor, chosen from the settings."""

from mockroom.providers.stt.base import SpeechToText, SpeechToTextError, Transcript, Word
from mockroom.providers.stt.factory import stt_from_settings

__all__ = ["SpeechToText", "SpeechToTextError", "Transcript", "Word", "stt_from_settings"]
