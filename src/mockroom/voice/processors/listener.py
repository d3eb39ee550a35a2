"""The candidate's side: gathers their speech between VAD events, transcribes it as it comes, decides when the turn
is over, and stops the interviewer when the candidate talks over it (barge-in)."""

import asyncio
import time
from collections import deque
from typing import Any

from loguru import logger
from pipecat.frames.frames import (
    BotStartedSpeakingFrame,
    BotStoppedSpeakingFrame,
    Frame,
    InputAudioRawFrame,
    OutputTransportMessageUrgentFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from mockroom.providers.stt.audio import loudest_rms, pcm16_to_float
from mockroom.providers.stt.base import SpeechToText, Transcript
from mockroom.voice import messages
from mockroom.voice.frames import CandidateTurnFrame
from mockroom.voice.incremental import IncrementalTranscript
from mockroom.voice.latency import TurnLatency
from mockroom.voice.sentence_end import reading as sentence_end_reading
from mockroom.voice.state import SpokenReply, VoiceState
from mockroom.voice.turns import TurnPolicy, Verdict, judge, smart_turn_probability, wants_sentence_end

_PRE_ROLL_SECONDS = 0.4
_MIN_SPEECH_SECONDS = 0.25
# After a stretch with no quiet moment to cut in, look again once this much more audio has come.
_RETRY_CUT_SECONDS = 0.5
# Voice this close to a long pause's end may be the candidate beginning again: look that much longer.
_RESUMING_SECONDS = 0.4
# A word's soft onset ("the ...") is quieter than the voice the turn silence listens for: -46 dBFS.
_RESUMING_RMS = 0.005
# How much later than the silence asked for, by the clock, a wait ends when no audio comes in at all.
_STALLED_SLACK_SECONDS = 1.0
# Silence put between an answer and the words that go on with it, when both are transcribed as one.
_JOIN_GAP_SECONDS = 0.3
# A candidate who speaks again this soon after the interviewer began to reply was not done: the interviewer yields.
YIELD_WINDOW_SECONDS = 1.5


class CandidateListener(FrameProcessor):
    """End-of-turn detection and speech-to-text for the candidate.

    The turn ends after `policy.silence_seconds` of silence when Smart Turn and the transcript both say the
    thought is complete, or after `policy.max_pause_seconds` of silence whatever they say. With `incremental`,
    stretches of at least `stretch_seconds` are transcribed in the background while the candidate speaks (see
    `IncrementalTranscript`); the rest is transcribed as soon as the candidate pauses, and reused when the turn
    ends (redone if the candidate spoke again).
    While the interviewer talks, speech counts only after `barge_in_seconds`: shorter sounds (a cough, an "mm-hm",
    an echo the browser did not cancel) neither interrupt nor become a turn. Speech that starts within
    `YIELD_WINDOW_SECONDS` of the interviewer beginning its reply (or while it is still composing it) goes on with
    the answer just ended: the reply stops without a word about it and the two parts are answered as one.
    """

    def __init__(
        self, *, state: VoiceState, stt: SpeechToText, smart_turn: Any, policy: TurnPolicy,
        barge_in_seconds: float, vad_stop_seconds: float, incremental: bool = True, sentence_end: Any = None,
        stretch_seconds: float = 2.5, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._state = state
        self._stt = stt
        self._smart_turn = smart_turn
        self._sentence_end = sentence_end
        self._policy = policy
        self._barge_in_seconds = barge_in_seconds
        self._vad_stop_seconds = vad_stop_seconds
        self._sample_rate = 16_000
        self._pre_roll: deque[bytes] = deque()
        self._pre_roll_bytes = 0
        self._turn: bytearray | None = None
        self._speech_started = 0.0
        self._speech_seconds = 0.0
        self._speech_ended = 0.0
        self._barged_in = False
        self._during_bot = False
        self._checker: asyncio.Task[None] | None = None
        self._incremental = incremental
        self._stretch_seconds = stretch_seconds
        self._transcript: IncrementalTranscript | None = None
        self._committing: asyncio.Task[None] | None = None
        self._committing_until = 0
        self._next_cut_at = 0
        self._continuing: SpokenReply | None = None
        self._holding: asyncio.Task[None] | None = None

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, InputAudioRawFrame):
            self._on_audio(frame)
            self._maybe_commit()
            await self._maybe_barge_in()
        elif isinstance(frame, VADUserStartedSpeakingFrame):
            await self._on_speech_started()
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            await self._on_speech_stopped()
        elif isinstance(frame, BotStartedSpeakingFrame):
            self._state.bot_speaking = True
            reply = self._state.reply
            if reply is not None and reply.first_audio_at is None:
                reply.first_audio_at = time.time()
        elif isinstance(frame, BotStoppedSpeakingFrame):
            self._state.bot_speaking = False
            self._state.touch()
        await self.push_frame(frame, direction)

    def _on_audio(self, frame: InputAudioRawFrame) -> None:
        self._sample_rate = frame.sample_rate
        if self._turn is not None:
            self._turn.extend(frame.audio)
            return
        self._pre_roll.append(frame.audio)
        self._pre_roll_bytes += len(frame.audio)
        while self._pre_roll_bytes > _PRE_ROLL_SECONDS * self._sample_rate * 2:
            self._pre_roll_bytes -= len(self._pre_roll.popleft())

    async def _on_speech_started(self) -> None:
        self._cancel_checker()
        self._state.candidate_speaking = True
        self._speech_started = time.time()
        if self._turn is None:
            self._turn = bytearray(b"".join(self._pre_roll))
            self._speech_seconds = 0.0
            self._barged_in = False
            self._during_bot = self._state.interviewer_busy()
            self._continuing = self._state.yieldable(YIELD_WINDOW_SECONDS) if self._during_bot else None
            if self._continuing is not None and self._continuing.answer_audio:
                # Heard as one utterance with the answer it goes on with: Whisper gets the sentence's context.
                gap = b"\x00\x00" * round(_JOIN_GAP_SECONDS * self._sample_rate)
                self._turn = bytearray(self._continuing.answer_audio + gap + bytes(self._turn))
            self._transcript = IncrementalTranscript(
                stt=self._stt, sample_rate=self._sample_rate, min_stretch_seconds=self._stretch_seconds
            )
            self._committing = None
            self._next_cut_at = 0
        self._state.touch()
        await self._send(messages.user_started_speaking())

    def _maybe_commit(self) -> None:
        """Starts transcribing the next finished stretch of speech, one at a time, while the candidate speaks."""
        transcript, turn = self._transcript, self._turn
        if not self._incremental or transcript is None or turn is None or not self._state.candidate_speaking:
            return
        if self._during_bot and not self._barged_in:
            return  # maybe an echo or an "mm-hm": not worth a decode until it is a real barge-in
        if self._committing is not None and not self._committing.done():
            return
        if len(turn) < self._next_cut_at or not transcript.ready(len(turn)):
            return
        audio = bytes(turn)
        cut = transcript.cut_point(audio)
        if cut is None:
            self._next_cut_at = len(audio) + round(_RETRY_CUT_SECONDS * self._sample_rate) * 2
            return
        self._committing_until = cut
        self._committing = self.create_task(
            asyncio.to_thread(transcript.commit, audio, cut), name="transcribe-stretch"
        )

    async def _transcribe_turn(self, audio: bytes) -> Transcript:
        """The turn's transcript: only what follows the stretches already transcribed, or being transcribed, is
        decoded."""
        transcript, committing = self._transcript, self._committing
        if transcript is None:
            return Transcript(text="")
        if committing is None or committing.done():
            return await asyncio.to_thread(transcript.text, audio)
        # The stretch still being transcribed is most of the way done: decode what follows it meanwhile.
        until = self._committing_until
        tail = await asyncio.to_thread(transcript.decode, audio[until:])
        # Shielded: a resumed candidate cancels this check, not the stretch the next check will need.
        await asyncio.shield(committing)
        return await asyncio.to_thread(transcript.text, audio, tail=(until, tail))

    async def _maybe_barge_in(self) -> None:
        if not (self._state.candidate_speaking and self._during_bot and not self._barged_in):
            return
        if time.time() - self._speech_started < self._barge_in_seconds:
            return
        self._barged_in = True
        reply = self._state.reply
        if reply is not None and reply is self._continuing and not reply.interrupted:
            reply.yielded = reply.interrupted = True
            await self.broadcast_interruption()
            await self._send(messages.server_message("yielded"))
            return
        if reply is not None and not reply.interrupted:
            reply.interrupted = True
            await self.broadcast_interruption()
            await self._send(messages.server_message("interrupted", spoken_text=reply.spoken_text()))

    async def _on_speech_stopped(self) -> None:
        self._state.candidate_speaking = False
        self._speech_ended = time.time() - self._vad_stop_seconds
        self._speech_seconds += self._speech_ended - self._speech_started
        await self._send(messages.user_stopped_speaking())
        if self._during_bot and not self._barged_in:
            self._drop_turn()
            return
        self._checker = self.create_task(self._check_end_of_turn(), name="end-of-turn")

    async def _check_end_of_turn(self) -> None:
        ended = self._speech_ended
        # Transcribe while the silence is still being timed: if the turn is over, the text is ready.
        audio = bytes(self._turn or b"")
        stopped_at = len(audio)
        heard, probability, reading = await self._look(audio)
        await self._heard_silence(self._policy.silence_seconds, since=stopped_at, ended=ended)
        later = bytes(self._turn or b"")
        if _has_voice(later[len(audio):]):
            # A short word after the pause (", and") that was too brief to restart the VAD.
            audio = later
            heard, probability, reading = await self._look(audio)
        text = heard.text
        if text:
            await self._send(messages.user_transcription(text, final=False))
        verdict = self._verdict(heard, probability, reading)
        logger.debug("Turn ends after {:.1f} s of silence: {}", verdict.end_after, verdict.reason)
        await self._heard_silence(verdict.end_after, since=stopped_at, ended=ended)
        if reading is not None and reading.done() and verdict.end_after < self._policy.max_pause_seconds:
            # The sentence-end reading came in while the silence was timed: it may say to wait longer.
            verdict = self._verdict(heard, probability, reading)
            await self._heard_silence(verdict.end_after, since=stopped_at, ended=ended)
        recent = bytes(self._turn or b"")[-round(_RESUMING_SECONDS * self._sample_rate) * 2:]
        if verdict.end_after > self._policy.silence_seconds and _has_voice(recent, _RESUMING_RMS):
            # The candidate has just begun again, too briefly for the VAD to say so yet.
            await self._heard_silence(verdict.end_after + _RESUMING_SECONDS, since=stopped_at, ended=ended)
        if reading is not None and not reading.done():
            self._hold_reply(reading, ended)
        transcribed_at = time.time()
        await self._finish(text, ended, transcribed_at)

    def _verdict(self, heard: Transcript, probability: float, reading: "asyncio.Future[float | None] | None") -> Verdict:
        """The verdict on what is known now: the sentence-end reading counts once it is in."""
        sentence_end = reading.result() if reading is not None and reading.done() else None
        return judge(
            policy=self._policy, smart_turn_probability=probability, text=heard.text, ending=heard.ending,
            sentence_end=sentence_end,
        )

    def _hold_reply(self, reading: "asyncio.Future[float | None]", ended: float) -> None:
        """The turn ends on the fast signals while the sentence-end model is still reading the words: the reply is
        composed meanwhile but not heard until the reading is in (a tenth of a second, less than the reply takes to
        start), and, when the model does not expect the sentence to end there, not before the longest thinking pause
        has passed by the clock. A candidate who goes on meanwhile is answered by the interviewer giving way."""
        gate = self._state.may_speak
        if self._holding is not None:
            self._holding.cancel()
        gate.clear()

        async def hold() -> None:
            try:
                sentence_end = await reading
                if sentence_end is not None and sentence_end < self._policy.sure_sentence_end:
                    logger.debug("Reply held to {:.1f} s: the sentence is not expected to end there ({:.3f})",
                                 self._policy.max_pause_seconds, sentence_end)
                    while time.time() - ended < self._policy.max_pause_seconds:
                        reply = self._state.reply
                        if reply is not None and reply.interrupted:
                            break
                        await asyncio.sleep(0.02)
            finally:
                if self._holding is asyncio.current_task():  # a hold cancelled by a newer one leaves the gate to it
                    gate.set()

        self._holding = self.create_task(hold(), name="hold-reply")

    async def _heard_silence(self, seconds: float, *, since: int, ended: float) -> None:
        """Returns once `seconds` of silence have come in after the speech ended (`since`: the turn's length in
        bytes at the VAD stop, `vad_stop_seconds` into the silence). Counted in audio received, not on the clock:
        when the machine is busy the audio is read late, and a clock would count the candidate's next words, still
        unread, as silence. A stream that stops coming ends the wait `_STALLED_SLACK_SECONDS` late by the clock."""
        while True:
            received = (len(self._turn or b"") - since) / 2 / self._sample_rate
            if self._vad_stop_seconds + received >= seconds:
                return
            if time.time() - ended >= seconds + _STALLED_SLACK_SECONDS:
                return
            await asyncio.sleep(0.02)

    async def _finish(self, text: str, ended: float, transcribed_at: float) -> None:
        speech_seconds = self._speech_seconds
        continuing = self._continuing if self._barged_in else None
        audio = bytes(self._turn or b"")
        self._drop_turn()
        latency = TurnLatency(speech_ended=ended, transcript=transcribed_at)
        if continuing is not None and continuing.answer is not None:
            # The answer goes on (its audio began this turn's): one answer, even when what came after the pause
            # was only a breath.
            whole = text or continuing.answer
            await self._send(messages.user_transcription(whole, final=True))
            await self.push_frame(CandidateTurnFrame(
                text=whole, latency=latency, duration_seconds=continuing.answer_seconds + speech_seconds,
                continues=continuing, audio=audio,
            ))
            return
        if not text or speech_seconds < _MIN_SPEECH_SECONDS:
            return
        await self._send(messages.user_transcription(text, final=True))
        await self.push_frame(
            CandidateTurnFrame(text=text, latency=latency, duration_seconds=speech_seconds, audio=audio)
        )

    async def _look(self, audio: bytes) -> tuple[Transcript, float, "asyncio.Future[float | None] | None"]:
        """The turn's transcript and Smart Turn's reading of it, taken at once on two threads; when the words read
        as finished, the sentence-end model's reading of them, started now and not waited for."""
        heard, probability = await asyncio.gather(
            self._transcribe_turn(audio), asyncio.to_thread(smart_turn_probability, self._smart_turn, audio)
        )
        reading = None
        if self._sentence_end is not None and wants_sentence_end(self._policy, heard.text, heard.ending, probability):
            reading = asyncio.ensure_future(asyncio.to_thread(sentence_end_reading, self._sentence_end, heard.text))
        return heard, probability, reading

    def _drop_turn(self) -> None:
        self._turn = None
        self._continuing = None
        self._transcript = None
        self._committing = None
        self._pre_roll.clear()
        self._pre_roll_bytes = 0

    def _cancel_checker(self) -> None:
        if self._checker is not None and not self._checker.done():
            self._checker.cancel()
        self._checker = None

    async def _send(self, message: dict[str, Any]) -> None:
        await self.push_frame(OutputTransportMessageUrgentFrame(message=message))

    async def cleanup(self) -> None:
        self._cancel_checker()
        if self._holding is not None:
            self._holding.cancel()
        if self._committing is not None:
            self._committing.cancel()
        await super().cleanup()


def _has_voice(pcm: bytes, rms: float = 0.01) -> bool:
    """Louder than `rms` (-40 dBFS) anywhere in 20 ms windows."""
    return loudest_rms(pcm16_to_float(pcm[: len(pcm) // 2 * 2]), 16_000) > rms
