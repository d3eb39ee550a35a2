"""Incremental transcription: stretches cut in quiet moments, the end of the turn decoding only the tail, and the
text as good as decoding the whole answer (a tone-per-word fake recogniser, and the real Whisper on hibari's speech)."""

import asyncio
import re
import threading
import time
from typing import Any

import numpy as np
import pytest
from pipecat.frames.frames import InputAudioRawFrame, VADUserStartedSpeakingFrame, VADUserStoppedSpeakingFrame
from pipecat.tests.utils import SleepFrame, run_test

from mockroom.core.config import Settings
from mockroom.providers.stt.base import Transcript
from mockroom.voice.frames import CandidateTurnFrame
from mockroom.voice.incremental import IncrementalTranscript
from mockroom.voice.processors.listener import CandidateListener
from mockroom.voice.state import VoiceState
from mockroom.voice.turns import TurnPolicy

RATE = 16_000
# Each word of the fake language is a tone of its own pitch; the fake recogniser hears the pitch of each burst.
PITCHES = {"alpha": 300, "bravo": 500, "charlie": 700, "delta": 900, "echo": 1100, "foxtrot": 1300}
SCRIPT = [
    "alpha bravo charlie delta echo foxtrot alpha bravo",
    "charlie delta echo foxtrot alpha bravo charlie",
    "delta echo foxtrot alpha bravo charlie delta echo",
]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length, ignoring case and punctuation."""
    ref, hyp = _words(reference), _words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1] / max(1, len(ref))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))


def tone_speech(sentences: list[str], *, word_gap: float = 0.15, pause: float = 0.6) -> bytes:
    """Each word a 0.3 s tone, `word_gap` of silence between words and `pause` between sentences."""
    parts: list[np.ndarray] = []
    for sentence in sentences:
        for word in sentence.split():
            t = np.arange(round(0.3 * RATE)) / RATE
            parts += [0.3 * np.sin(2 * np.pi * PITCHES[word] * t), np.zeros(round(word_gap * RATE))]
        parts.append(np.zeros(round(pause * RATE)))
    return (np.concatenate(parts) * 32767).astype("<i2").tobytes()


class ToneRecogniser:
    """Recognises `tone_speech`: one word per burst, named by its pitch; records the audio it was given and takes
    `delay` seconds, like a real model."""

    name = "tones"

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[int] = []
        self.spans: list[tuple[float, float]] = []
        self.delay = delay

    def warm_up(self) -> None:
        """Nothing to load."""

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        self.calls.append(len(pcm))
        started = time.monotonic()
        time.sleep(self.delay)
        self.spans.append((started, time.monotonic()))
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
        size = sample_rate // 100
        frames = samples[: samples.size // size * size].reshape(-1, size)
        loud = np.abs(frames).max(axis=1) > 100
        edges = np.flatnonzero(np.diff(np.concatenate([[False], loud, [False]]).astype(int)))
        words = []
        for start, end in zip(edges[::2] * size, edges[1::2] * size, strict=True):
            crossings = np.count_nonzero(np.diff(np.signbit(samples[start:end])))
            pitch = crossings / 2 / ((end - start) / sample_rate)
            words.append(min(PITCHES, key=lambda word: abs(PITCHES[word] - pitch)))
        return Transcript(text=" ".join(words))


def stream(transcript: IncrementalTranscript, pcm: bytes, *, chunk_seconds: float = 0.1) -> list[int]:
    """Feeds `pcm` as it would arrive, committing each stretch as soon as it is ready; returns the cut points."""
    cuts = []
    chunk = round(chunk_seconds * RATE) * 2
    for end in range(chunk, len(pcm) + chunk, chunk):
        heard = pcm[:end]
        if transcript.ready(len(heard)) and (cut := transcript.cut_point(heard)) is not None:
            transcript.commit(heard, cut)
            cuts.append(cut)
    return cuts


def test_stretches_end_in_silence_and_only_the_tail_is_left_for_the_end() -> None:
    # Gaps between words (0.15 s) are too short to cut in: a stop inside a real word can be as quiet for that long.
    pcm = tone_speech(SCRIPT, pause=0.35)
    recogniser = ToneRecogniser()
    transcript = IncrementalTranscript(stt=recogniser, sample_rate=RATE)
    cuts = stream(transcript, pcm)
    assert len(cuts) >= 2
    samples = np.frombuffer(pcm, dtype="<i2")
    for cut in cuts:
        # Not inside a word: 40 ms either side of each cut is silent.
        assert not samples[cut // 2 - 640: cut // 2 + 640].any()
    recogniser.calls.clear()
    assert transcript.text(pcm).text == " ".join(SCRIPT)
    (tail,) = recogniser.calls
    assert tail / 2 / RATE <= 4.5 < len(pcm) / 2 / RATE / 2


def test_speech_without_quiet_moments_waits_then_cuts_at_the_quietest() -> None:
    t = np.arange(25 * RATE) / RATE
    hum = (0.3 * np.sin(2 * np.pi * 300 * t) * 32767).astype("<i2").tobytes()
    transcript = IncrementalTranscript(stt=ToneRecogniser(), sample_rate=RATE)
    assert transcript.cut_point(hum[: 10 * RATE * 2]) is None
    assert transcript.cut_point(hum) is not None


def _spoken_turn(pcm: bytes, recogniser: "ToneRecogniser", **listener_options: Any) -> CandidateTurnFrame:
    """The turn the listener makes of `pcm`, fed in 0.1 s frames faster than real time, then silence."""
    listener = CandidateListener(
        state=VoiceState(interview_id="test", notify=_ignore), stt=recogniser, smart_turn=_CompleteTurns(),
        policy=TurnPolicy(silence_seconds=0.3, max_pause_seconds=0.6), barge_in_seconds=0.3, vad_stop_seconds=0.2,
        **listener_options,
    )
    chunk = RATE // 10 * 2
    frames: list[Any] = [VADUserStartedSpeakingFrame()]
    for start in range(0, len(pcm), chunk):
        frames += [InputAudioRawFrame(audio=pcm[start:start + chunk], sample_rate=RATE, num_channels=1),
                   SleepFrame(sleep=0.005)]
    # The listener times speech by the clock: half a second of it, however fast the audio came.
    frames += [SleepFrame(sleep=0.5), VADUserStoppedSpeakingFrame(), *_silence(1.0)]
    down, _ = asyncio.run(run_test(listener, frames_to_send=frames))
    (turn,) = [frame for frame in down if isinstance(frame, CandidateTurnFrame)]
    return turn


def test_listener_decodes_only_the_tail_when_the_turn_ends() -> None:
    pcm = tone_speech(SCRIPT)
    recogniser = ToneRecogniser()
    turn = _spoken_turn(pcm, recogniser)
    assert turn.text == " ".join(SCRIPT)
    assert len(recogniser.calls) >= 3
    assert recogniser.calls[-1] / 2 / RATE <= 4.5 < len(pcm) / 2 / RATE / 2


def test_with_the_products_stretches_a_short_answer_is_decoded_whole_and_a_long_one_in_stretches() -> None:
    # Every cut can lose a quiet word ending, so the product's stretches are long (8 s): an answer shorter than that
    # is one decode at its end, as without incremental transcription; a longer one leaves only its tail for the end.
    settings = Settings(_env_file=None)
    assert settings.voice_incremental_stt
    stretch = round(settings.voice_stt_stretch_seconds * RATE) * 2
    for script, whole in ((SCRIPT[:2], True), (SCRIPT * 2, False)):
        pcm = tone_speech(script)
        recogniser = ToneRecogniser()
        turn = _spoken_turn(pcm, recogniser, incremental=settings.voice_incremental_stt,
                            stretch_seconds=settings.voice_stt_stretch_seconds)
        assert turn.text == " ".join(script)
        if whole:
            assert all(decoded >= len(pcm) for decoded in recogniser.calls), recogniser.calls
        else:
            # At least one stretch of 8 s or more was decoded while the candidate spoke, and not again at the end.
            assert len(recogniser.calls) >= 2 and recogniser.calls[-1] <= len(pcm) - stretch, recogniser.calls


def test_listener_decodes_what_follows_a_stretch_still_in_flight() -> None:
    pcm = tone_speech(SCRIPT)
    # Audio at four times real time, decodes of a second: the recogniser is always busy, as on a loaded machine.
    recogniser = ToneRecogniser(delay=1.0)
    listener = CandidateListener(
        state=VoiceState(interview_id="test", notify=_ignore), stt=recogniser, smart_turn=_CompleteTurns(),
        policy=TurnPolicy(silence_seconds=0.3, max_pause_seconds=0.6), barge_in_seconds=0.3, vad_stop_seconds=0.2,
    )
    chunk = RATE // 10 * 2
    frames: list[Any] = [VADUserStartedSpeakingFrame()]
    for start in range(0, len(pcm), chunk):
        frames += [InputAudioRawFrame(audio=pcm[start:start + chunk], sample_rate=RATE, num_channels=1),
                   SleepFrame(sleep=0.025)]
    frames += [VADUserStoppedSpeakingFrame(), SleepFrame(sleep=2.5)]
    down, _ = asyncio.run(run_test(listener, frames_to_send=frames))
    (turn,) = [frame for frame in down if isinstance(frame, CandidateTurnFrame)]
    assert turn.text == " ".join(SCRIPT)
    (_, stretch_done), (tail_started, _) = sorted(recogniser.spans)[-2:]
    assert tail_started < stretch_done, "the tail waited for the stretch before it"


def test_listener_without_incremental_decodes_the_whole_turn() -> None:
    pcm = tone_speech(SCRIPT[:2])
    recogniser = ToneRecogniser()
    listener = CandidateListener(
        state=VoiceState(interview_id="test", notify=_ignore), stt=recogniser, smart_turn=_CompleteTurns(),
        policy=TurnPolicy(silence_seconds=0.3, max_pause_seconds=0.6), barge_in_seconds=0.3, vad_stop_seconds=0.2,
        incremental=False,
    )
    frames: list[Any] = [
        VADUserStartedSpeakingFrame(), InputAudioRawFrame(audio=pcm, sample_rate=RATE, num_channels=1),
        SleepFrame(sleep=0.5), VADUserStoppedSpeakingFrame(), *_silence(1.0),
    ]
    down, _ = asyncio.run(run_test(listener, frames_to_send=frames))
    (turn,) = [frame for frame in down if isinstance(frame, CandidateTurnFrame)]
    assert turn.text == " ".join(SCRIPT[:2])
    (decoded,) = recogniser.calls
    assert len(pcm) <= decoded <= len(pcm) + RATE // 5 * 2, "one decode of the whole turn (and what silence came)"


def _silence(seconds: float) -> list[Any]:
    """What a microphone sends while the candidate is quiet, in real time: the listener counts silence in audio
    received, not on the clock."""
    frames: list[Any] = []
    for _ in range(round(seconds * 10)):
        silent = b"\x00\x00" * (RATE // 10)
        frames += [InputAudioRawFrame(audio=silent, sample_rate=RATE, num_channels=1), SleepFrame(sleep=0.1)]
    return frames


class _CompleteTurns:
    """Smart Turn that finds every utterance complete."""

    def _predict_endpoint(self, samples: np.ndarray) -> dict[str, float]:
        return {"probability": 1.0}


async def _ignore(message: dict[str, Any]) -> None:
    """Drops the session's notifications."""


def test_word_error_rate_counts_edits_over_the_reference() -> None:
    assert word_error_rate("I would use a cache.", "i would use a cache") == 0.0
    assert word_error_rate("a b c d", "a x c") == 0.5


@pytest.mark.slow
@pytest.mark.parametrize("short_window", [False, True])
def test_whisper_transcribes_incrementally_as_well_as_whole(short_window: bool) -> None:
    from mockroom.providers.stt.whisper import WhisperSpeechToText
    from mockroom.providers.tts.hibari import HibariTextToSpeech

    script = [
        "I would put a cache in front of the database and invalidate it when the record changes.",
        "A list keeps order and allows duplicates, while a set gives fast membership checks.",
        "I would profile first, then look at the slowest queries and add the missing index.",
    ]
    tts = HibariTextToSpeech()
    pause = bytes(round(0.5 * RATE) * 2)
    pcm = pause.join(_speech_16k(b"".join(c.pcm for c in tts.synthesize(text)), 24_000) for text in script)
    whole = WhisperSpeechToText().transcribe(pcm, RATE).text
    transcript = IncrementalTranscript(stt=WhisperSpeechToText(short_window=short_window), sample_rate=RATE)
    cuts = stream(transcript, pcm)
    incremental = transcript.text(pcm).text
    reference = " ".join(script)
    assert cuts, "no stretch was committed before the end"
    assert len(pcm) - transcript.committed_bytes <= 4.5 * RATE * 2
    assert word_error_rate(reference, incremental) <= word_error_rate(reference, whole) + 0.05, (whole, incremental)


def _speech_16k(pcm: bytes, rate: int) -> bytes:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    out = np.interp(np.arange(0, samples.size / rate, 1 / RATE), np.arange(samples.size) / rate, samples)
    voiced = np.flatnonzero(np.abs(out) > 500)
    return out[max(0, voiced[0] - 800): voiced[-1] + 800].astype("<i2").tobytes()


def test_whisper_runs_at_most_its_workers_at_once() -> None:
    from mockroom.providers.stt.whisper import WhisperSpeechToText

    # Language detection takes faster-whisper's own path, which the fake model stands in for.
    stt = WhisperSpeechToText(threads=1, workers=2, language=None)
    running, most = 0, 0
    lock = threading.Lock()

    class _Model:
        def transcribe(self, samples: np.ndarray, **options: Any) -> tuple[list[Any], Any]:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.2)
            with lock:
                running -= 1
            return [], type("Info", (), {"language": "en"})()

    stt._model = _Model()
    calls = [threading.Thread(target=stt.transcribe, args=(b"\x00\x10" * RATE, RATE)) for _ in range(4)]
    for call in calls:
        call.start()
    for call in calls:
        call.join()
    assert most == 2


def test_gaps_as_short_as_a_stop_inside_a_word_are_not_cut_points() -> None:
    pcm = tone_speech(SCRIPT[:2], word_gap=0.15, pause=0.0)
    transcript = IncrementalTranscript(stt=ToneRecogniser(), sample_rate=RATE)
    assert transcript.ready(len(pcm)) and transcript.cut_point(pcm) is None
