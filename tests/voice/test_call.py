"""A whole voice interview with no person: a headless WebRTC client speaks TTS-made answers."""

import asyncio
import time

import httpx
import pytest
from prometheus_client import REGISTRY
from tests.voice.client import VoiceClient
from tests.voice.conftest import VoiceServer

from mockroom.db.models import Interview

pytestmark = pytest.mark.slow


async def _answer_and_wait(client: VoiceClient, pcm: bytes, timeout: float = 30) -> float:
    """Speaks, then waits until the interviewer's voice comes back; returns when the speech ended."""
    before = len(client.audio_onsets)
    ended = await client.mic.say(pcm)
    await client.wait_for(lambda: len(client.audio_onsets) > before, timeout)
    return ended


def _voice_turns_counted() -> float:
    return REGISTRY.get_sample_value("mockroom_turn_duration_seconds_count", {"mode": "voice"}) or 0.0


def test_spoken_turn_reaches_transcript_with_captions_and_audio(voice_server: VoiceServer) -> None:
    counted_before = _voice_turns_counted()
    interview_id = voice_server.new_interview()
    answer = voice_server.speech("I have built payment services in Python for five years.")

    async def scenario() -> VoiceClient:
        client = VoiceClient(voice_server.url, interview_id)
        await client.join()
        ended = await _answer_and_wait(client, answer)
        await client.wait_for(lambda: client.of_type("latency"), 20)
        assert client.audio_onsets[-1] - ended < 5
        await asyncio.sleep(0.5)
        await client.close()
        return client

    client = asyncio.run(scenario())
    question = [m for m in voice_server.transcript(interview_id) if m["role"] == "interviewer"][-2]["text"]
    read_out = " ".join(m["data"]["text"] for m in client.of_type("bot-tts-text"))
    assert read_out.startswith(str(question)), "the question on the table is read out when the call starts"
    finals = [m["data"]["text"] for m in client.of_type("user-transcription") if m["data"]["final"]]
    assert any("payment" in text.lower() for text in finals)
    assert client.of_type("bot-transcription") and client.of_type("bot-tts-text")
    assert client.of_type("bot-started-speaking") and client.of_type("lipsync")
    lipsync = client.of_type("lipsync")[0]["data"]
    assert lipsync["envelope"] and lipsync["duration"] > 0
    messages = voice_server.transcript(interview_id)
    candidate = [m for m in messages if m["role"] == "candidate"]
    assert len(candidate) == 1 and "payment" in str(candidate[0]["text"]).lower()
    latency = client.of_type("latency")[0]["data"]
    assert 0 < latency["transcript_ms"] <= latency["first_audio_sent_ms"]
    assert _voice_turns_counted() == counted_before + 1, "the spoken turn is in the turn-time metric"


def test_barge_in_stops_the_interviewer_and_truncates_the_reply(voice_server: VoiceServer) -> None:
    interview_id = voice_server.new_interview()
    answer = voice_server.speech("I mostly work on data pipelines and web services in Python.")
    interruption = voice_server.speech("Sorry, could you repeat that please?")

    async def scenario() -> VoiceClient:
        client = VoiceClient(voice_server.url, interview_id)
        await client.join()
        await _answer_and_wait(client, answer)
        # Later than 1.5 s into the reply: sooner, the interviewer takes it that the answer goes on and gives way.
        await asyncio.sleep(2.0)
        cut = time.time()
        await client.mic.say(interruption)
        await client.wait_for(lambda: client.of_type("interrupted"), 10)
        stopped = client.of_type("interrupted")[0]
        assert stopped
        await client.wait_for(lambda: not client.audio_active, 3)
        assert client.last_audio - cut < 1.5
        await client.wait_for(lambda: len(client.of_type("latency")) >= 2, 30)
        await client.close()
        return client

    asyncio.run(scenario())
    candidate = [m for m in voice_server.transcript(interview_id) if m["role"] == "candidate"]
    assert len(candidate) == 2 and "repeat" in str(candidate[1]["text"]).lower()
    with voice_server.app.state.db.session() as session:
        interview = session.get(Interview, interview_id)
        cut = [m for m in interview.messages if ((m.meta or {}).get("voice") or {}).get("interrupted")]
        assert len(cut) == 1
        full = cut[0].meta["voice"]["full_text"]
        assert cut[0].text != full and full.split()[: len(cut[0].text.split())] == cut[0].text.split()


def test_pipecat_client_handshake_and_typed_answer_spoken_back(voice_server: VoiceServer) -> None:
    interview_id = voice_server.new_interview()

    async def scenario() -> VoiceClient:
        client = VoiceClient(voice_server.url, interview_id)
        await client.connect()
        await client.wait_for(lambda: client._channel.readyState == "open", 15)
        client.send_rtvi("client-ready", {"version": "1.0.0", "about": {"library": "test"}}, "abc123")
        await client.wait_for(lambda: client.of_type("bot-ready"), 15)
        client.send_rtvi("send-text", {"content": "I build REST services with FastAPI and PostgreSQL."}, "t1")
        await client.wait_for(lambda: client.of_type("latency") or client.of_type("turn"), 30)
        await client.wait_for(lambda: client.audio_onsets, 20)
        await client.close()
        return client

    client = asyncio.run(scenario())
    ready = client.of_type("bot-ready")[0]
    assert ready["id"] == "abc123" and ready["data"]["version"].startswith("2.")
    candidate = [m for m in voice_server.transcript(interview_id) if m["role"] == "candidate"]
    assert len(candidate) == 1 and "fastapi" in str(candidate[0]["text"]).lower()
    assert client.of_type("bot-transcription")


def test_malformed_offers_get_a_clear_4xx(voice_server: VoiceServer) -> None:
    interview_id = voice_server.new_interview()
    url = f"{voice_server.url}/api/interviews/{interview_id}/voice/offer"
    bad = [
        {"sdp": "\u0016 not sdp", "type": "offer"},
        {"sdp": "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", "type": "nonsense"},
        {"sdp": "v=0\r\nm=audio garbage\r\n", "type": "offer"},
    ]
    for body in bad:
        response = httpx.post(url, json=body, timeout=30)
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
        assert response.json()["error"]["message"]
    patch = httpx.patch(url, json={"pc_id": "no-such-call", "candidates": []}, timeout=30)
    assert patch.status_code == 404
    garbled = httpx.patch(url, json={"pc_id": "no-such-call", "candidates": [{"candidate": "candidate:1 x"}]}, timeout=30)
    assert garbled.status_code == 422


def test_a_short_sound_while_the_interviewer_talks_neither_interrupts_nor_becomes_a_turn(
    voice_server: VoiceServer,
) -> None:
    interview_id = voice_server.new_interview()
    answer = voice_server.speech("I have led a team of four engineers building data pipelines in Python.")
    cough = voice_server.speech("Mm-hm, right.")[: 16_000 * 2 // 4]  # a quarter of a second: a cough, an echo

    async def scenario() -> VoiceClient:
        client = VoiceClient(voice_server.url, interview_id)
        await client.join()
        await _answer_and_wait(client, answer)
        await asyncio.sleep(0.5)
        await client.mic.say(cough)
        onset = client.audio_onsets[-1]
        await client.wait_for(lambda: client.of_type("bot-stopped-speaking", since=onset), 30)
        await asyncio.sleep(3.0)
        await client.close()
        return client

    client = asyncio.run(scenario())
    assert not client.of_type("interrupted")
    candidate = [m for m in voice_server.transcript(interview_id) if m["role"] == "candidate"]
    assert len(candidate) == 1 and "pipelines" in str(candidate[0]["text"]).lower()
