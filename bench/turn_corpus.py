"""A spoken corpus of interview answers with thinking pauses, for the turn-taking benchmark (issue 14).

Each script is an answer in two to four spoken segments; between two segments the candidate pauses at a labelled
point: `incomplete` (the thought goes on: a joining word, a preposition, a list, a filler, "so", a clause cut short)
or `complete` (a finished sentence, then another). The answer ends at a `final` point and 3 s of silence. Every
script is spoken by two of the offline voices present (hibari, Piper, espeak-ng), half of the answers get room noise
(also in the pauses) and a quarter an Opus round trip like a browser call. Synthesized segments are cached on disk
(MOCKROOM_BENCH_CACHE, default /tmp/mockroom-turn-corpus), so a rebuild takes seconds. Usage:

    from bench.turn_corpus import build_corpus
    answers = build_corpus(limit=8)
"""

import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
import wave
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import numpy as np  # noqa: E402

RATE = 16_000
FINAL_SILENCE_SECONDS = 3.0
PAUSES = (0.5, 0.8, 1.0, 1.2, 1.5, 1.8, 2.0, 2.2, 2.4, 3.0)
SEED = 14
VOICES_PER_SCRIPT = 2
# Between two sentences of one segment: engines that speak sentence by sentence trim the silence around each.
_SENTENCE_GAP_SECONDS = 0.12

PointKind = Literal["incomplete", "complete", "final"]
INCOMPLETE = ("conjunction", "preposition_article", "list", "filler", "trailing_so", "mid_clause")
COMPLETE = "sentence"

# Segments alternate with the kind of pause between them; "sentence" marks a complete point.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("I have spent five years building payment services in Python, mostly with FastAPI and Postgres, and",
     "conjunction", "the project I am proudest of is the ledger rewrite that removed double charges."),
    ("The main reason we moved to Kubernetes was", "mid_clause",
     "that our deploys took forty minutes and nobody really trusted them.", "sentence",
     "After the move they took about six."),
    ("There are three things I look at in a code review: first, whether the change is tested, second", "list",
     "whether the names make sense, and third, whether it can be rolled back safely."),
    ("When the dashboard got slow, we tried caching, pagination, and", "list",
     "finally a materialized view, which is what fixed it for good."),
    ("I think the hardest part of that migration, um", "filler",
     "was keeping both schemas in sync for a whole month."),
    ("We had a lot of flaky tests in the front end, so", "trailing_so",
     "I set up a quarantine list and we fixed them one by one over two sprints."),
    ("I usually start a new feature by writing down the data model with", "preposition_article",
     "the product manager, before anyone opens an editor.", "sentence", "It saves us a lot of rework later."),
    ("If I were designing that rate limiter again, I would probably", "mid_clause",
     "use a token bucket in Redis instead of counting requests in the database."),
    ("Our React app was re-rendering the whole table on every keystroke, which means", "trailing_so",
     "typing in the search box felt sluggish on older laptops.", "sentence", "Memoizing the rows solved it."),
    ("I managed a team of six engineers for two years.", "sentence",
     "The thing I learned the hard way was", "mid_clause",
     "that silence in a one on one usually means something is wrong."),
    ("For the data pipeline we used Airflow to schedule the jobs, but", "conjunction",
     "most of the heavy lifting happened in dbt models on top of Snowflake."),
    ("I think the biggest mistake we made was choosing", "mid_clause",
     "a separate microservice for every table, which nobody could keep track of."),
    ("The incident started with a bad config push to", "preposition_article",
     "the load balancer, and within five minutes half our traffic was failing.", "sentence",
     "We rolled back and added a check so it could not happen again."),
    ("Well, about estimates, you know", "filler", "I have never really liked story points.", "sentence",
     "I prefer breaking the work into pieces that take a day or less."),
    ("When two engineers on my team disagreed about the architecture, I asked each of them to write a short "
     "proposal with the costs and the risks they saw, and", "conjunction",
     "then we reviewed both together with the rest of the team."),
    ("In my last role I owned the search service.", "sentence",
     "It handled about two thousand queries a second, uh", "filler",
     "mostly autocomplete requests from the mobile app."),
    ("For the job queue we looked at Kafka, RabbitMQ, and", "list",
     "plain Postgres, and we chose Postgres because the volume was small."),
    ("The product team wanted the feature in two weeks, because", "conjunction",
     "a large customer had made it a condition of renewing their contract."),
    ("My approach to onboarding is simple: pair the new person with a buddy for", "preposition_article",
     "the first month, and give them a small real bug on day one."),
    ("To be honest, the model was overfitting, so", "trailing_so",
     "we added more data from the last quarter and dropped half the features.", "sentence",
     "Accuracy on the holdout set went up by four points."),
    ("The way I would scale this is by splitting reads and writes into", "preposition_article",
     "separate replicas.", "sentence", "Then I would add a cache for the hottest keys."),
    ("The design system was, like", "filler",
     "the thing that made the whole front end consistent again."),
    ("I prioritize the roadmap by looking at three things: the impact on users, the cost to build, and", "list",
     "how confident we are in the estimate."),
    ("What I would do first is", "mid_clause", "talk to the customers who churned last quarter.", "sentence",
     "Their reasons usually point straight at the problem."),
    ("We stored every event in an append only table, which means", "trailing_so",
     "we could rebuild any report from scratch whenever a bug was found."),
    ("I am not a big fan of microservices for small teams, or", "conjunction",
     "at least not until the monolith really starts to hurt."),
    ("The migration to TypeScript took about six months.", "sentence",
     "We did it file by file, starting with", "preposition_article",
     "the shared utilities, since everything else depended on them."),
    ("When a deploy fails at night, the first thing I check is", "mid_clause",
     "whether the database migrations ran.", "sentence", "Most of our bad nights started there."),
    ("I once had to give difficult feedback to a senior engineer who kept skipping code reviews, and", "conjunction",
     "I tried to make it about the impact on the team rather than about him.", "sentence",
     "He took it well, and things improved within a month."),
    ("For the front end we built everything on top of a", "preposition_article",
     "component library that the design team maintained."),
    ("The API gateway does authentication, rate limiting, and", "list",
     "request logging, so the services behind it can stay simple."),
    ("I led the move from a monolith to services, uh", "filler",
     "over about eighteen months, and we kept shipping features the whole time."),
    ("Our data warehouse was costing far too much, so", "trailing_so",
     "I looked at which queries scanned the most data.", "sentence",
     "Three dashboards were responsible for most of the bill."),
    ("I think good product sense comes down to", "preposition_article",
     "spending time with users and reading support tickets every week."),
    ("When I hire, I care less about the specific framework and more about whether", "mid_clause",
     "the person can explain the trade-offs of their own past decisions."),
    ("We measured everything with Prometheus and Grafana, but", "conjunction",
     "the alerts were too noisy, so we cut them down to the ones that needed a human."),
    ("There were two problems with the old queue: first, messages could get lost, and second", "list",
     "nobody could tell how far behind the consumers were."),
    ("The candidate experience matters a lot to me.", "sentence",
     "I always try to send feedback to", "preposition_article",
     "every candidate within two days, even when the answer is no."),
    ("I would design the notification service around a queue.", "sentence",
     "Each channel, like email or push, gets its own worker, so", "trailing_so",
     "one slow provider cannot hold up the others."),
    ("Honestly, the feature flag system is what saved us most often, because", "conjunction",
     "we could turn off a broken feature in seconds without a deploy."),
    ("My first step with a slow SQL query is to look at", "preposition_article", "the query plan.", "sentence",
     "Nine times out of ten there is a missing index or a bad join order."),
    ("We used to review designs in long meetings, which means", "trailing_so", "decisions took weeks.", "sentence",
     "Now we write a short document and comment on it asynchronously."),
    ("I started out as a frontend developer, you know", "filler",
     "building dashboards in Angular, and then I moved to the backend."),
    ("For the recommendation model, we compared logistic regression, gradient boosting, and", "list",
     "a small neural network, and the boosted trees won on both speed and accuracy."),
    ("The reason I want to move into management is", "mid_clause",
     "that I enjoy helping people grow more than writing code myself.", "sentence",
     "I have been mentoring two junior engineers for a year now."),
    ("Before the launch we load tested the checkout flow by replaying", "mid_clause",
     "a day of production traffic at ten times the normal rate.", "sentence",
     "It found a connection pool that was far too small."),
    ("I like to keep pull requests small, so", "trailing_so", "they can be reviewed in under fifteen minutes."),
    ("When the outage happened, I was the incident commander, and", "conjunction",
     "my job was mostly to keep people from stepping on each other."),
    ("We cut the page load time in half by", "preposition_article",
     "moving the images to a CDN and lazy loading everything below the fold."),
    ("The hardest bug I ever fixed was a race condition in the handling of", "preposition_article",
     "payment retries, where two workers could charge the same card twice."),
    ("We could have kept the old system running for another year, or", "conjunction",
     "we could pay the cost once and migrate.", "sentence", "We chose to migrate."),
    ("I would say my biggest strength is", "mid_clause",
     "turning vague requirements into something the team can actually build.", "sentence",
     "I think that comes from, um", "filler", "years of working directly with customers."),
)


@dataclass(frozen=True)
class Point:
    """A place where the candidate stops speaking: `at_seconds` is where the speech before the pause ends."""

    kind: PointKind
    subkind: str
    at_seconds: float
    pause_seconds: float
    text_before: str


@dataclass(frozen=True)
class SpokenAnswer:
    """One script in one voice: the whole answer as 16 kHz mono int16 PCM, pauses and final silence included."""

    script_id: int
    voice: str
    speed: float
    noise: str
    opus: bool
    pcm: bytes
    points: list[Point]


@dataclass(frozen=True)
class Voice:
    """An offline TTS voice at one speed: `speak(text)` gives 16 kHz float samples, lead-in and tail trimmed."""

    engine: str
    name: str
    speed: float
    speak: Callable[[str], np.ndarray]

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}@{self.speed:g}"


@dataclass(frozen=True)
class _Plan:
    """What one spoken answer will be, decided before any audio is made so that `limit` keeps the pauses."""

    script_id: int
    voice: Voice
    pauses: tuple[float, ...]
    noise: str
    snr_db: float
    opus: bool


def _segments(script: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The script's spoken segments and the subkinds of the pauses between them."""
    return list(script[0::2]), list(script[1::2])


def _kind(subkind: str) -> PointKind:
    return "complete" if subkind == COMPLETE else "incomplete"


def _to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resampled to 16 kHz and trimmed to the voice, as tests/voice/conftest.py does, so a pause is exact."""
    times = np.arange(0, samples.size / rate, 1 / RATE)
    out = np.interp(times, np.arange(samples.size) / rate, samples)
    voiced = np.flatnonzero(np.abs(out) > 500)
    if voiced.size:
        out = out[max(0, voiced[0] - 800): voiced[-1] + 800]
    return out.astype(np.float32)


def _chunks_to_16k(chunks: list[tuple[bytes, int]]) -> np.ndarray:
    """Sentence chunks of a TTS joined with a short gap (each chunk comes trimmed), at 16 kHz."""
    gap = np.zeros(round(_SENTENCE_GAP_SECONDS * RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    for pcm, rate in chunks:
        if parts:
            parts.append(gap)
        parts.append(_to_16k(np.frombuffer(pcm, dtype="<i2").astype(np.float32), rate))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def _speak_with(tts: Any, text: str) -> np.ndarray:
    """`text` spoken by one of the project's TTS providers, at 16 kHz."""
    return _chunks_to_16k([(chunk.pcm, chunk.sample_rate) for chunk in tts.synthesize(text)])


def _hibari_voices() -> list[Voice]:
    try:
        from mockroom.providers.tts.hibari import HibariTextToSpeech

        HibariTextToSpeech(voice="heart").warm_up()
    except Exception as error:  # any failure only means this voice is left out
        print(f"note: hibari 'heart' skipped: {error}")
        return []
    voices = []
    for speed in (0.85, 1.0, 1.2):
        tts = HibariTextToSpeech(voice="heart", speed=speed)
        voices.append(Voice("hibari", "heart", speed, partial(_speak_with, tts)))
    return voices


def _piper_voices() -> list[Voice]:
    # PiperTextToSpeech takes no speed, so Piper speaks at its one speed.
    try:
        from mockroom.providers.tts.piper import PiperTextToSpeech

        tts = PiperTextToSpeech()
        tts.warm_up()
    except Exception as error:  # any failure only means this voice is left out
        print(f"note: Piper 'joe' skipped: {error}")
        return []
    return [Voice("piper", "joe", 1.0, partial(_speak_with, tts))]


def _espeak(binary: str, voice: str, wpm: int, text: str) -> np.ndarray:
    wav = subprocess.run([binary, "-v", voice, "-s", str(wpm), "--stdout", text],
                         check=True, capture_output=True, timeout=60).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        frames = reader.readframes(reader.getnframes())
    return _to_16k(np.frombuffer(frames, dtype="<i2").astype(np.float32), rate)


def _espeak_voices() -> list[Voice]:
    binary = shutil.which("espeak-ng")
    if binary is None:
        print("note: espeak-ng skipped: the espeak-ng binary is not installed")
        return []
    voices = []
    for name in ("en-us", "en-gb", "en-us+f3", "en-gb-x-rp"):
        try:
            if _espeak(binary, name, 165, "Hello there.").size == 0:
                raise RuntimeError("no audio")
        except (subprocess.SubprocessError, OSError, RuntimeError, wave.Error) as error:
            print(f"note: espeak-ng {name} skipped: {error}")
            continue
        voices.append(Voice("espeak", name, 1.0, partial(_espeak, binary, name, 165)))
    return voices


def available_voices() -> list[Voice]:
    """Every offline voice present, in a fixed order (the rotation of voices over scripts depends on it)."""
    return _hibari_voices() + _piper_voices() + _espeak_voices()


def _cache_dir() -> Path:
    path = Path(os.environ.get("MOCKROOM_BENCH_CACHE", "/tmp/mockroom-turn-corpus"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _spoken(voice: Voice, text: str) -> np.ndarray:
    """`text` in `voice`, from the disk cache when it was synthesized before."""
    key = hashlib.sha256(f"{voice.engine}|{voice.name}|{voice.speed}|{text}".encode()).hexdigest()[:24]
    path = _cache_dir() / f"{key}.npy"
    if path.exists():
        return np.load(path)
    samples = voice.speak(text)
    np.save(path, samples)
    return samples


def _plans(voices: list[Voice]) -> list[_Plan]:
    """Voices rotated over the scripts, and pauses dealt so that every value falls at both kinds of point."""
    rng = random.Random(SEED)
    pairs = [(index, voices[(index * VOICES_PER_SCRIPT + step) % len(voices)])
             for index in range(len(SCRIPTS)) for step in range(min(VOICES_PER_SCRIPT, len(voices)))]
    pauses: dict[tuple[int, int], list[float]] = {}
    for kind in ("incomplete", "complete"):
        slots = [(answer, gap) for answer, (index, _) in enumerate(pairs)
                 for gap, subkind in enumerate(_segments(SCRIPTS[index])[1]) if _kind(subkind) == kind]
        rng.shuffle(slots)
        for position, slot in enumerate(slots):
            pauses.setdefault(slot, []).append(PAUSES[position % len(PAUSES)])
    noisy = set(rng.sample(range(len(pairs)), len(pairs) // 2))
    opus = set(rng.sample(range(len(pairs)), len(pairs) // 4))
    plans = []
    for answer, (index, voice) in enumerate(pairs):
        gaps = len(_segments(SCRIPTS[index])[1])
        noise = rng.choice(("white", "pink")) if answer in noisy else "none"
        plans.append(_Plan(index, voice, tuple(pauses[(answer, gap)][0] for gap in range(gaps)), noise,
                           rng.uniform(20.0, 30.0), answer in opus))
    return plans


def _noise(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    white = rng.standard_normal(size)
    if kind == "white":
        return white
    spectrum = np.fft.rfft(white)
    spectrum /= np.sqrt(np.maximum(np.fft.rfftfreq(size, 1 / RATE), 20.0))
    pink = np.fft.irfft(spectrum, n=size)
    return pink / (pink.std() or 1.0)


def _with_noise(samples: np.ndarray, kind: str, snr_db: float, seed: int) -> np.ndarray:
    """Room noise at `snr_db` below the speech's level, over the whole answer (pauses too, as in a real room)."""
    voiced = samples[np.abs(samples) > 500]
    level = float(np.sqrt(np.mean(voiced**2))) if voiced.size else 1000.0
    noise = _noise(kind, samples.size, np.random.default_rng(seed))
    return samples + noise * level / 10 ** (snr_db / 20)


def _opus_round_trip(samples: np.ndarray) -> np.ndarray | None:
    """Through libopus at 48 kHz and back to 16 kHz, as a browser call would carry it; None if PyAV cannot."""
    try:
        import av

        pcm = np.clip(samples, -32768, 32767).astype("<i2")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        up = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        down = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        encoder = av.CodecContext.create("libopus", "w")
        encoder.sample_rate, encoder.layout, encoder.format = 48_000, "mono", "s16"
        encoder.bit_rate = 32_000
        decoder = av.CodecContext.create("opus", "r")
        decoder.sample_rate, decoder.layout = 48_000, "mono"
        packets = [p for f in up.resample(frame) + up.resample(None) for p in encoder.encode(f)]
        packets += encoder.encode(None)
        decoded = [d for p in packets for d in decoder.decode(p)]
        out = [r.to_ndarray().reshape(-1) for d in decoded for r in down.resample(d)]
        out += [r.to_ndarray().reshape(-1) for r in down.resample(None)]
    except Exception as error:  # a missing codec only leaves this answer unencoded
        print(f"note: Opus round trip skipped: {error}")
        return None
    result = np.concatenate(out).astype(np.float32)
    # The encoder's look-ahead delays the audio; cut it so the points' times still hold.
    delay = max(0, result.size - samples.size)
    return result[delay: delay + samples.size] if result.size >= samples.size else np.pad(
        result, (0, samples.size - result.size))


def _assemble(plan: _Plan, seed: int) -> SpokenAnswer:
    segments, subkinds = _segments(SCRIPTS[plan.script_id])
    parts: list[np.ndarray] = []
    points: list[Point] = []
    at = 0
    for index, text in enumerate(segments):
        audio = _spoken(plan.voice, text)
        parts.append(audio)
        at += audio.size
        said = " ".join(segments[: index + 1])
        if index < len(subkinds):
            pause = plan.pauses[index]
            points.append(Point(_kind(subkinds[index]), subkinds[index], at / RATE, pause, said))
        else:
            pause = FINAL_SILENCE_SECONDS
            points.append(Point("final", "final", at / RATE, pause, said))
        silence = round(pause * RATE)
        parts.append(np.zeros(silence, dtype=np.float32))
        at += silence
    samples = np.concatenate(parts)
    if plan.noise != "none":
        samples = _with_noise(samples, plan.noise, plan.snr_db, seed)
    opus = False
    if plan.opus and (carried := _opus_round_trip(samples)) is not None:
        samples, opus = carried, True
    pcm = np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()
    noise = "none" if plan.noise == "none" else f"{plan.noise}@{plan.snr_db:.0f}dB"
    return SpokenAnswer(plan.script_id, plan.voice.label, plan.voice.speed, noise, opus, pcm, points)


def build_corpus(limit: int | None = None, *, script_ids: Collection[int] | None = None) -> list[SpokenAnswer]:
    """Every script (or those in `script_ids`) in two of the available voices, rotated; the first `limit` spoken
    answers if given. Pauses and noise are dealt over the whole corpus first, so a subset keeps its own."""
    voices = available_voices()
    if not voices:
        raise RuntimeError("No offline TTS voice is available (hibari, Piper or espeak-ng).")
    plans = [(number, plan) for number, plan in enumerate(_plans(voices))
             if script_ids is None or plan.script_id in script_ids]
    if limit is not None:
        plans = plans[:limit]
    return [_assemble(plan, SEED * 1000 + number) for number, plan in plans]


if __name__ == "__main__":
    corpus = build_corpus()
    kinds: dict[str, int] = {}
    for answer in corpus:
        for point in answer.points:
            kinds[point.kind] = kinds.get(point.kind, 0) + 1
    seconds = sum(len(answer.pcm) / 2 / RATE for answer in corpus)
    print(f"{len(corpus)} spoken answers, {seconds / 60:.1f} min of audio, points: {kinds}")
