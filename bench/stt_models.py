"""Speech-to-text real-time factor of each embedded Whisper model on the same hibari-spoken answers (bench/voice.py's).

A model is `name` or `name:language` (`base:auto` detects the language of every answer). Runs alternate between the
models so that a change in the machine's load hits them alike. Usage:

    .venv/bin/python bench/stt_models.py [--models tiny.en base base:auto] [--runs 3]
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.voice import ANSWERS, _to_16k  # noqa: E402

from mockroom.core.config import Settings  # noqa: E402
from mockroom.providers.stt import stt_from_settings  # noqa: E402
from mockroom.providers.tts.hibari import HibariTextToSpeech  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base", "base:auto"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tts = HibariTextToSpeech()
    speech = [_to_16k(b"".join(chunk.pcm for chunk in tts.synthesize(text)), 24_000) for text in ANSWERS]
    audio_seconds = sum(len(pcm) for pcm in speech) / 2 / 16_000
    engines = {}
    for spec in args.models:
        model, _, language = spec.partition(":")
        started = time.perf_counter()
        engines[spec] = stt_from_settings(Settings(stt_model=model, stt_language=language or "en"))
        engines[spec].warm_up()
        print(f"{spec}: ready in {time.perf_counter() - started:.1f} s")
    print(f"{len(speech)} answers, {audio_seconds:.1f} s of speech, {os.cpu_count()} CPUs")

    factors: dict[str, list[float]] = {spec: [] for spec in engines}
    for run in range(1, args.runs + 1):
        for spec, engine in engines.items():
            started = time.perf_counter()
            for pcm in speech:
                engine.transcribe(pcm, 16_000)
            factors[spec].append((time.perf_counter() - started) / audio_seconds)
            print(f"run {run} {spec:>10}: real-time factor {factors[spec][-1]:.3f} "
                  f"(load average {os.getloadavg()[0]:.2f})")
    for spec, values in factors.items():
        print(f"{spec:>10}: real-time factor {min(values):.3f}-{max(values):.3f}")


if __name__ == "__main__":
    main()
