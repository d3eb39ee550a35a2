"""Text-to-speech providers: one interface (`TextToSpeech`), one module per vendor, chosen from the settings."""

from mockroom.providers.tts.base import SpeechChunk, TextToSpeech, TextToSpeechError, WordTiming
from mockroom.providers.tts.factory import tts_from_settings

__all__ = ["SpeechChunk", "TextToSpeech", "TextToSpeechError", "WordTiming", "tts_from_settings"]
