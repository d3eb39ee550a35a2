"""The interviewer's side: sends each finished turn to the interview service (the same conductor and transcript
as text mode) and passes the reply on sentence by sentence as it is composed, so speech starts on the first."""

import asyncio
import secrets
import time
from typing import Any

from pipecat.frames.frames import (
    CancelFrame,
    EndFrame,
    Frame,
    InterruptionFrame,
    OutputTransportMessageUrgentFrame,
    StartFrame,
)
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from mockroom.brains.base import Brain
from mockroom.core.errors import AppError
from mockroom.core.metrics import timed_turn
from mockroom.db.engine import Database
from mockroom.interviews import service
from mockroom.voice import messages, transcript
from mockroom.voice.frames import CandidateTurnFrame, ReadQuestionFrame, SentenceFrame
from mockroom.voice.sentences import SentenceStream
from mockroom.voice.state import SpokenReply, VoiceState

CHECK_IN = "Take your time. I'm here whenever you're ready, and I can repeat the question if that helps."
CODING_CHECK_IN = "How is it going? Feel free to think out loud, or ask me if anything is unclear."
_DONE = object()


class InterviewerProcessor(FrameProcessor):
    """Bridges the voice pipeline and `interviews.service`; also checks in after a long silence."""

    def __init__(
        self, *, state: VoiceState, db: Database, brain: Brain, check_in_seconds: float,
        coding_quiet_seconds: float, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._state = state
        self._db = db
        self._brain = brain
        self._check_in_seconds = check_in_seconds
        self._coding_quiet_seconds = coding_quiet_seconds
        self._watcher: asyncio.Task[None] | None = None
        self._replying: asyncio.Task[None] | None = None

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, StartFrame):
            await self.push_frame(frame, direction)
            self._state.phase = await asyncio.to_thread(
                transcript.current_phase, db=self._db, interview_id=self._state.interview_id
            )
            self._watcher = self.create_task(self._watch_silence(), name="check-in")
            return
        if isinstance(frame, (EndFrame, CancelFrame)) and self._watcher is not None:
            await self.cancel_task(self._watcher)
            self._watcher = None
        if isinstance(frame, CandidateTurnFrame):
            self._replying = self.create_task(self._reply(frame, self._replying), name="reply")
            return
        if isinstance(frame, ReadQuestionFrame):
            self.create_task(self._read_question(), name="read-question")
            return
        if isinstance(frame, InterruptionFrame) and self._state.reply is not None:
            await self._on_interrupted(self._state.reply)
        await self.push_frame(frame, direction)

    async def _reply(self, turn: CandidateTurnFrame, previous: "asyncio.Task[None] | None") -> None:
        """Runs one turn of the interview service and streams its reply on as sentences; a turn that continues
        the last answer first waits for that answer's turn, which it then takes back."""
        reply = SpokenReply(
            reply_id=secrets.token_hex(6), latency=turn.latency, answer=None if turn.typed else turn.text,
            answer_seconds=turn.duration_seconds or 0.0, answer_audio=turn.audio,
        )
        self._state.reply = reply
        undo = None
        if turn.continues is not None:
            if previous is not None:
                await asyncio.wait([previous])
            # None when that answer's turn failed: the whole answer is then stored as an answer of its own.
            undo = turn.continues.undo
        self._state.composing = True
        self._state.touch()
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[object] = asyncio.Queue()

        def emit(text: str) -> None:
            loop.call_soon_threadsafe(pieces.put_nowait, text)

        async def answer() -> service.AnswerResult | None:
            try:
                with timed_turn("voice"):
                    return await asyncio.to_thread(
                        service.answer, db=self._db, brain=self._brain, interview_id=self._state.interview_id,
                        text=turn.text, duration_seconds=turn.duration_seconds, emit=emit, voice=True,
                        continues=undo,
                    )
            except AppError as error:
                await self._send(messages.server_message("error", code=error.code, message=error.message))
                return None
            finally:
                loop.call_soon_threadsafe(pieces.put_nowait, _DONE)

        job = asyncio.ensure_future(answer())
        await self._stream_sentences(reply, pieces)
        result = await job
        current = self._state.reply is reply  # not when a turn that continues this answer has begun since
        if current:
            self._state.composing = False
        if result is None:
            if current:
                self._state.reply = None
            return
        reply.candidate_message_id = result.candidate_message.id
        reply.message_id = result.reply.id
        reply.undo = result.undo
        self._state.phase = str((result.interview.state or {}).get("phase", ""))
        if reply.yielded:
            return  # the candidate went on talking; the next turn takes this reply back
        if not reply.text:
            await self._speak_sentences(reply, result.reply.text)
        await self._send(messages.server_message(
            "turn", candidate_seq=result.candidate_message.seq, interviewer_seq=result.reply.seq,
            phase=self._state.phase, finished=result.interview.status != "in_progress",
        ))
        if reply.interrupted:
            await self._store_interruption(reply)
        await self.store_latency(reply)

    async def _read_question(self) -> None:
        """Says the question on the table when the call starts, so that a candidate who switches to voice hears it;
        nothing is stored (the question already is), and talking over it cuts it short like any reply."""
        text = await asyncio.to_thread(transcript.open_question, db=self._db, interview_id=self._state.interview_id)
        if not text or self._state.reply is not None:
            return
        reply = SpokenReply(reply_id=secrets.token_hex(6))
        self._state.reply = reply
        await self._speak_sentences(reply, text)

    async def _stream_sentences(self, reply: SpokenReply, pieces: "asyncio.Queue[object]") -> None:
        stream = SentenceStream()
        while True:
            piece = await pieces.get()
            if piece is _DONE:
                break
            if reply.latency is not None and reply.latency.first_brain_output is None:
                reply.latency.first_brain_output = time.time()
            for sentence in stream.feed(str(piece)):
                await self._speak_sentences(reply, sentence)
        await self._speak_sentences(reply, stream.flush())

    async def _speak_sentences(self, reply: SpokenReply, text: str) -> None:
        if reply.interrupted or not text.strip():
            return
        reply.text = f"{reply.text} {text.strip()}".strip()
        await self._send(messages.bot_transcription(text.strip()))
        await self.push_frame(SentenceFrame(text=text.strip(), reply_id=reply.reply_id, latency=reply.latency))

    async def _on_interrupted(self, reply: SpokenReply) -> None:
        reply.interrupted = True
        if reply.message_id is not None and not reply.yielded:
            await self._store_interruption(reply)

    async def _store_interruption(self, reply: SpokenReply) -> None:
        if reply.message_id is None:
            return
        await asyncio.to_thread(
            transcript.store_interruption, db=self._db, interview_id=self._state.interview_id,
            reply_message_id=reply.message_id, spoken_text=reply.spoken_text(),
        )

    async def store_latency(self, reply: SpokenReply) -> None:
        """Stores the turn's latency once every stage is known and the messages exist (called from two places)."""
        latency = reply.latency
        if latency is None or not latency.complete or reply.message_id is None or reply.latency_stored or reply.yielded:
            return
        reply.latency_stored = True
        breakdown = latency.breakdown()
        await asyncio.to_thread(
            transcript.store_latency, db=self._db, interview_id=self._state.interview_id,
            candidate_message_id=reply.candidate_message_id, reply_message_id=reply.message_id, latency=breakdown,
        )
        await self._send(messages.server_message("latency", interviewer_message_id=reply.message_id, **breakdown))

    async def _watch_silence(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            state = self._state
            if state.checked_in or state.composing or state.bot_speaking or state.candidate_speaking:
                continue
            quiet = self._coding_quiet_seconds if state.phase == "coding" else self._check_in_seconds
            if time.time() - state.last_activity < quiet:
                continue
            state.checked_in = True
            text = CODING_CHECK_IN if state.phase == "coding" else CHECK_IN
            try:
                await asyncio.to_thread(
                    transcript.store_check_in, db=self._db, interview_id=state.interview_id, text=text
                )
            except AppError:
                continue
            reply = SpokenReply(reply_id=secrets.token_hex(6))
            state.reply = reply
            await self._speak_sentences(reply, text)
            await self._send(messages.server_message("check-in", text=text))

    async def _send(self, message: dict[str, Any]) -> None:
        await self.push_frame(OutputTransportMessageUrgentFrame(message=message))
