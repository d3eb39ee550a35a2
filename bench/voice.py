"""Voice benchmark on the embedded stack (faster-whisper tiny.en, hibari, Smart Turn, embedded brain).

Prints the STT and TTS real-time factors, the voice-to-voice latency (end of the candidate's speech → first
interviewer audio at the client) p50/p95 over a scripted interview spoken by a headless WebRTC client, and how
many concurrent voice interviews the machine carries before p95 passes 2.5 s. Usage:

    .venv/bin/python bench/voice.py [--turns N] [--max-calls N]
"""

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import uvicorn  # noqa: E402
from loguru import logger  # noqa: E402
from tests.voice.client import VoiceClient  # noqa: E402
from tests.voice.conftest import with_voice_routes  # noqa: E402

from mockroom.api.app import create_app  # noqa: E402
from mockroom.core.config import Settings  # noqa: E402
from mockroom.voice.engine import engine_of  # noqa: E402

TARGET_P95 = 2.5
ANSWERS = [
    "I have worked on Python backend services for about five years, mostly payments.",
    "I would put a cache in front of the database and invalidate it when the record changes.",
    "A list keeps order and allows duplicates, while a set gives fast membership checks.",
    "I would profile first, then look at the slowest queries and add the missing index.",
    "Decorators wrap a function to add behaviour, and functools wraps keeps its name and docstring.",
    "I once disagreed with a teammate about retries, so we measured both options and picked the faster one.",
]


def _to_16k(pcm: bytes, rate: int) -> bytes:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    times = np.arange(0, samples.size / rate, 1 / 16_000)
    out = np.interp(times, np.arange(samples.size) / rate, samples)
    voiced = np.flatnonzero(np.abs(out) > 500)
    return out[max(0, voiced[0] - 800): voiced[-1] + 800].astype("<i2").tobytes()


def real_time_factors(app: object) -> tuple[float, float, dict[str, bytes]]:
    """TTS and STT compute seconds per audio second over the scripted answers; also returns their audio."""
    engine = engine_of(app.state)  # type: ignore[attr-defined]
    speech: dict[str, bytes] = {}
    tts_compute = tts_audio = stt_compute = 0.0
    for text in ANSWERS:
        started = time.perf_counter()
        chunks = list(engine.tts.synthesize(text))
        tts_compute += time.perf_counter() - started
        pcm = b"".join(c.pcm for c in chunks)
        tts_audio += len(pcm) / 2 / chunks[0].sample_rate
        speech[text] = _to_16k(pcm, chunks[0].sample_rate)
        started = time.perf_counter()
        engine.stt.transcribe(speech[text], 16_000)
        stt_compute += time.perf_counter() - started
    stt_audio = sum(len(p) / 2 / 16_000 for p in speech.values())
    return tts_compute / tts_audio, stt_compute / stt_audio, speech


STAGES = ("transcript_ms", "first_brain_output_ms", "first_tts_audio_ms", "first_audio_sent_ms")
breakdowns: list[dict[str, int]] = []


async def one_call(url: str, speech: dict[str, bytes], turns: int) -> list[float]:
    """A scripted interview: each answer, then wait for the interviewer's voice and for it to finish."""
    interview = httpx.post(f"{url}/api/interviews", json={"topic": "Python backend"}, timeout=120).json()
    client = VoiceClient(url, interview["id"])
    await client.join(timeout=60)
    latencies = []
    for text in list(speech)[:turns]:
        before = len(client.audio_onsets)
        ended = await client.mic.say(speech[text])
        await client.wait_for(lambda n=before: len(client.audio_onsets) > n, 60)
        latencies.append(client.audio_onsets[before] - ended)
        await client.wait_for(lambda: client.of_type("bot-stopped-speaking", since=client.audio_onsets[-1]), 120)
        await asyncio.sleep(0.5)
    await client.close()
    breakdowns.extend(m["data"] for m in client.of_type("latency"))
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=len(ANSWERS))
    parser.add_argument("--max-calls", type=int, default=6)
    args = parser.parse_args()
    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    data = Path(tempfile.mkdtemp(prefix="mockroom-voice-bench-"))
    settings = Settings(data_dir=data, web_dist=data / "no-web", voice_check_in_seconds=600)
    app = with_voice_routes(create_app(settings, warm=False))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    httpx.get(f"{url}/api/voice", timeout=120)
    tts_rtf, stt_rtf, speech = real_time_factors(app)
    print(f"cores: {os.cpu_count()}  load average before: {os.getloadavg()}")
    print(f"TTS real-time factor (hibari heart): {tts_rtf:.3f}")
    print(f"STT real-time factor (whisper tiny.en int8, 2 threads): {stt_rtf:.3f}")
    carried = 0
    for calls in range(1, args.max_calls + 1):
        async def together(n: int = calls) -> list[list[float]]:
            return await asyncio.gather(*(one_call(url, speech, args.turns) for _ in range(n)))

        breakdowns.clear()
        results = asyncio.run(together())
        values = [v for call in results for v in call]
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"{calls} concurrent call(s), {len(values)} turns: voice-to-voice p50 {p50:.2f} s, p95 {p95:.2f} s, "
              f"load average {os.getloadavg()[0]:.2f}")
        stages = ", ".join(f"{s[:-3]} {statistics.median(b[s] for b in breakdowns):.0f} ms" for s in STAGES)
        print(f"  server-side median from end of speech: {stages}")
        if p95 > TARGET_P95:
            break
        carried = calls
    print(f"concurrent voice interviews within p95 ≤ {TARGET_P95} s: {carried}")
    server.should_exit = True


if __name__ == "__main__":
    main()
