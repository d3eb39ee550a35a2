"""Patient turn-taking over a real call: a thinking pause mid-sentence never ends the candidate's turn, a finished
answer ends it quickly, and an interviewer who began to reply gives way when the candidate goes on."""

import asyncio
import time

import pytest
from tests.voice.client import VoiceClient
from tests.voice.conftest import VoiceServer

pytestmark = pytest.mark.slow

FIRST = "I have spent five years building payment services in Python, mostly with FastAPI and Postgres, and"
SECOND = "the project I am proudest of is the ledger rewrite that removed double charges."
FINISHED = "I have spent five years building payment services in Python, mostly with FastAPI and Postgres."


def _candidate_and_after(voice_server: VoiceServer, interview_id: str) -> tuple[list[str], list[dict[str, object]]]:
    messages = voice_server.transcript(interview_id)
    candidate = [m for m in messages if m["role"] == "candidate"]
    after = [m for m in messages if m["role"] == "interviewer" and candidate and int(m["seq"]) > int(candidate[0]["seq"])]  # type: ignore[call-overload]
    return [str(m["text"]) for m in candidate], after


def _final_words(client: VoiceClient) -> str:
    """Every final transcription of the candidate so far, lower-cased."""
    return " ".join(m["data"]["text"] for m in client.of_type("user-transcription") if m["data"]["final"]).lower()


def _answer_with_a_pause(
    voice_server: VoiceServer, interview_id: str, first: bytes, pause: float, second: bytes, last_word: str
) -> tuple[VoiceClient, int]:
    """Says `first`, pauses `pause` seconds, says `second`, and waits for the reply to the whole: the client and how
    many replies it had heard before the answer."""

    async def scenario() -> tuple[VoiceClient, int]:
        client = VoiceClient(voice_server.url, interview_id)
        await client.join()
        before = len(client.audio_onsets)
        await client.mic.say(first)
        await asyncio.sleep(pause)
        await client.mic.say(second)
        await client.wait_for(lambda: last_word in _final_words(client), 30)
        heard = time.time()
        await client.wait_for(lambda: client.of_type("latency", since=heard), 30)
        await asyncio.sleep(0.5)
        await client.close()
        return client, before

    return asyncio.run(scenario())


@pytest.mark.parametrize("pause", [1.8, 2.4])
def test_a_pause_after_and_keeps_the_turn_open(voice_server: VoiceServer, pause: float) -> None:
    interview_id = voice_server.new_interview()
    first, second = voice_server.speech(FIRST), voice_server.speech(SECOND)
    client, _ = _answer_with_a_pause(voice_server, interview_id, first, pause, second, "charges")
    candidate, after = _candidate_and_after(voice_server, interview_id)
    assert len(candidate) == 1, candidate
    assert "payment" in candidate[0].lower() and "proudest" in candidate[0].lower()
    assert len(after) == 1 and after[0]["text"] != "…"
    assert not client.of_type("interrupted")


def test_a_finished_answer_ends_the_turn_without_waiting_out_the_longest_pause(voice_server: VoiceServer) -> None:
    interview_id = voice_server.new_interview()
    answer = voice_server.speech(FINISHED)

    async def scenario() -> tuple[VoiceClient, float]:
        client = VoiceClient(voice_server.url, interview_id)
        await client.join()
        before = len(client.audio_onsets)
        ended = await client.mic.say(answer)
        await client.wait_for(lambda: len(client.audio_onsets) > before, 20)
        await client.wait_for(lambda: client.of_type("latency"), 20)
        await client.close()
        return client, ended

    client, ended = asyncio.run(scenario())
    latency = client.of_type("latency")[0]["data"]
    # The turn's end is decided at the first look (0.6 s of silence, or when the transcript is ready), well before
    # the 2.5 s that an unfinished phrase waits; how fast the reply then starts is measured in bench/voice.py.
    assert latency["transcript_ms"] < 2000, latency
    assert client.audio_onsets[-1] - ended < 2.5


def test_the_interviewer_gives_way_when_the_candidate_goes_on(voice_server: VoiceServer) -> None:
    interview_id = voice_server.new_interview()
    first = voice_server.speech("I have spent five years building payment services in Python.")
    second = voice_server.speech("The project I am proudest of is the ledger rewrite that removed double charges.")

    async def scenario() -> VoiceClient:
        client = VoiceClient(voice_server.url, interview_id)
        await client.join()
        before = len(client.audio_onsets)
        await client.mic.say(first)
        await client.wait_for(lambda: len(client.audio_onsets) > before, 20)
        await asyncio.sleep(0.3)  # the interviewer has begun to reply; the candidate was not done
        resumed = time.time()
        await client.mic.say(second)
        await client.wait_for(lambda: client.of_type("yielded"), 10)
        yielded = time.time()
        await client.wait_for(lambda: not client.audio_active, 3)
        assert client.last_audio - resumed < 1.5
        await client.wait_for(lambda: client.of_type("latency", since=yielded), 30)
        await asyncio.sleep(0.5)
        await client.close()
        return client

    client = asyncio.run(scenario())
    assert not client.of_type("interrupted")
    candidate, after = _candidate_and_after(voice_server, interview_id)
    assert len(candidate) == 1, candidate
    assert "payment" in candidate[0].lower() and "proudest" in candidate[0].lower()
    assert len(after) == 1 and after[0]["text"] != "…", after
    assert "proudest" in _final_words(client)


CHOOSING = "I think the biggest mistake we made was choosing"
CHOSEN = "a separate microservice for every table, which nobody could keep track of."


def test_words_the_sentence_end_model_expects_to_go_on_keep_the_turn_open(voice_server: VoiceServer) -> None:
    # "... was choosing" reads as finished to the word rules, Whisper and Smart Turn; only the sentence-end model
    # expects more. The reply composed meanwhile is held, and the candidate going on gets one answer.
    assert voice_server.engine.sentence_end is not None
    interview_id = voice_server.new_interview()
    first, second = voice_server.speech(CHOOSING), voice_server.speech(CHOSEN)
    client, before = _answer_with_a_pause(voice_server, interview_id, first, 1.5, second, "track")
    assert len(client.audio_onsets) == before + 1, "the interviewer spoke inside the answer"
    candidate, after = _candidate_and_after(voice_server, interview_id)
    assert len(candidate) == 1, candidate
    assert "choosing" in candidate[0].lower() and "microservice" in candidate[0].lower()
    assert len(after) == 1 and after[0]["text"] != "…", after
    assert not client.of_type("interrupted")
