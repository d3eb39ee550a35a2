"""Speech-to-speech vendors: one adapter per vendor that offers both the speech-to-text and text-to-speech interfaces."""
