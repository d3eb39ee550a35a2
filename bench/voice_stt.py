"""End-of-turn transcription on the embedded Whisper: whole-utterance decoding against incremental, one call and two.

Each utterance is two or three of bench/voice.py's answers spoken by hibari with thinking pauses between them. A call
plays it in real time; the incremental mode transcribes finished stretches in the background as the listener does,
the whole mode decodes everything at the end; the two modes take turns, utterance by utterance. Printed per mode:
the decode time after the last audio (p50/p95), the transcript stage the listener reports (it starts decoding at the
VAD stop, 0.2 s after the speech, and ends the turn no sooner than 0.6 s of silence), how much audio was left to
decode at the end, and the word error rate against the script. `--threads 2 --workers 1` is the old setup (one
transcription at a time, on both cores). Usage:

    .venv/bin/python bench/voice_stt.py [--utterances 6] [--calls 1 2] [--threads 1] [--workers 0] [--full-window]
        [--answers N] [--min-stretch SECONDS]
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import numpy as np  # noqa: E402
from bench.voice import ANSWERS, _to_16k, percentile  # noqa: E402
from tests.voice.test_incremental_stt import word_error_rate  # noqa: E402

from mockroom.providers.stt.whisper import WhisperSpeechToText  # noqa: E402
from mockroom.providers.tts.hibari import HibariTextToSpeech  # noqa: E402
from mockroom.voice.incremental import IncrementalTranscript  # noqa: E402

RATE = 16_000
CHUNK_SECONDS = 0.02
VAD_STOP_SECONDS = 0.2
SILENCE_SECONDS = 0.6


def utterances(count: int, answers: int = 0) -> list[tuple[str, bytes]]:
    """(script, 16 kHz PCM): answers joined by pauses of 0.4-0.9 s, three and two in turn (or `answers` each)."""
    tts = HibariTextToSpeech()
    spoken = [_to_16k(b"".join(chunk.pcm for chunk in tts.synthesize(text)), 24_000) for text in ANSWERS]
    out = []
    for index in range(count):
        joined = answers or (3 if index % 2 == 0 else 2)
        picks = [(index + step) % len(ANSWERS) for step in range(joined)]
        pause = bytes(round((0.4 + 0.1 * (index % 6)) * RATE) * 2)
        out.append((" ".join(ANSWERS[i] for i in picks), pause.join(spoken[i] for i in picks)))
    return out


def play(stt: WhisperSpeechToText, pcm: bytes, *, incremental: bool, min_stretch: float) -> tuple[float, str, int]:
    """Plays `pcm` in real time and transcribes it: seconds from its end to the text, the text, bytes decoded last."""
    transcript = IncrementalTranscript(stt=stt, sample_rate=RATE, min_stretch_seconds=min_stretch)
    committing: threading.Thread | None = None
    cut = 0
    chunk = round(CHUNK_SECONDS * RATE) * 2
    started = time.perf_counter()
    for end in range(chunk, len(pcm) + chunk, chunk):
        time.sleep(max(0.0, started + end / 2 / RATE - time.perf_counter()))
        if not incremental or (committing is not None and committing.is_alive()):
            continue
        heard = pcm[:end]
        if transcript.ready(len(heard)) and (cut := transcript.cut_point(heard)) is not None:
            committing = threading.Thread(target=transcript.commit, args=(heard, cut))
            committing.start()
    ended = time.perf_counter()
    if committing is not None and committing.is_alive():
        # As the listener does: decode what follows the stretch in flight meanwhile, then join.
        tail = transcript.decode(pcm[cut:])
        committing.join()
        text = transcript.text(pcm, tail=(cut, tail)).text
    else:
        text = transcript.text(pcm).text
    return time.perf_counter() - ended, text, len(pcm) - transcript.committed_bytes


def run(stt: WhisperSpeechToText, speech: list[tuple[str, bytes]], *, calls: int, min_stretch: float) -> None:
    """Every utterance in `calls` concurrent calls sharing the model, whole then incremental, so that a change in
    the machine's load hits both modes alike; prints the figures of each mode."""
    figures: dict[bool, dict[str, list[float]]] = {
        mode: {"decode": [], "tail": [], "wer": []} for mode in (False, True)
    }
    lock = threading.Lock()

    def call(script: str, pcm: bytes, incremental: bool) -> None:
        seconds, text, tail = play(stt, pcm, incremental=incremental, min_stretch=min_stretch)
        with lock:
            figures[incremental]["decode"].append(seconds)
            figures[incremental]["tail"].append(tail / 2 / RATE)
            figures[incremental]["wer"].append(word_error_rate(script, text))

    for index in range(len(speech)):
        for incremental in (False, True):
            threads = [
                threading.Thread(target=call, args=(*speech[(index + offset) % len(speech)], incremental))
                for offset in range(calls)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    for incremental, values in figures.items():
        decodes = values["decode"]
        stage = [max(SILENCE_SECONDS, VAD_STOP_SECONDS + seconds) for seconds in decodes]
        mode = "incremental" if incremental else "whole"
        print(
            f"{calls} call(s) {mode:>11}: decode after speech p50 {percentile(decodes, 0.5) * 1000:4.0f} ms "
            f"p95 {percentile(decodes, 0.95) * 1000:4.0f} ms | transcript stage p50 "
            f"{percentile(stage, 0.5) * 1000:4.0f} ms p95 {percentile(stage, 0.95) * 1000:4.0f} ms | "
            f"audio decoded at the end {np.mean(values['tail']):4.1f} s | WER {np.mean(values['wer']) * 100:.1f}%",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=6)
    parser.add_argument("--calls", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=1, help="CPU threads per transcription (stt_threads)")
    parser.add_argument("--workers", type=int, default=0, help="transcriptions at once (stt_workers; 0: per core)")
    parser.add_argument("--full-window", action="store_true", help="encode every utterance in Whisper's 30 s window")
    parser.add_argument("--answers", type=int, default=0, help="answers per utterance (0: three and two in turn)")
    parser.add_argument("--min-stretch", type=float, default=2.5, help="shortest stretch transcribed on its own (s)")
    args = parser.parse_args()

    speech = utterances(args.utterances, args.answers)
    seconds = [len(pcm) / 2 / RATE for _, pcm in speech]
    stt = WhisperSpeechToText(threads=args.threads, workers=args.workers, short_window=not args.full_window)
    stt.warm_up()
    print(f"{len(speech)} utterances of {min(seconds):.1f}-{max(seconds):.1f} s; whisper tiny.en, "
          f"{stt.threads} thread(s) x {stt.workers} worker(s), short window {stt.short_window}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    for calls in args.calls:
        run(stt, speech, calls=calls, min_stretch=args.min_stretch)
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
