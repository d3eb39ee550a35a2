"""PCM helpers shared by the speech-to-text adapters."""

import numpy as np


def pcm16_to_float(pcm: bytes) -> np.ndarray:
    """Little-endian int16 samples as float32 in [-1, 1]."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def loudest_rms(samples: np.ndarray, sample_rate: int) -> float:
    """The RMS of the loudest 20 ms of `samples` (float, -1..1); 0 for less than 20 ms."""
    size = sample_rate // 50
    frames = samples[: samples.size // size * size].reshape(-1, size)
    return float(np.sqrt(np.mean(frames**2, axis=1)).max()) if frames.size else 0.0


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """Linear resampling; enough for speech recognition input."""
    if source_rate == target_rate or samples.size == 0:
        return samples
    duration = samples.size / source_rate
    target = np.linspace(0.0, duration, round(duration * target_rate), endpoint=False)
    source = np.arange(samples.size) / source_rate
    return np.interp(target, source, samples).astype(np.float32)
