"""The call's incoming audio: each packet reaches the listener once the next one has come, not four later."""

import asyncio

from aiortc import RTCPeerConnection
from aiortc.jitterbuffer import JitterBuffer
from aiortc.rtp import RtpPacket
from pipecat.transports.smallwebrtc.connection import SmallWebRTCConnection

from mockroom.voice.pipeline import release_audio_promptly

_SAMPLES_PER_PACKET = 960  # 20 ms of Opus at 48 kHz


def _packet(sequence: int) -> RtpPacket:
    packet = RtpPacket(payload_type=111, sequence_number=sequence, timestamp=sequence * _SAMPLES_PER_PACKET,
                       payload=bytes([sequence % 256]))
    packet._data = packet.payload  # the receiver sets this (the depacketized payload) before buffering
    return packet


def _released(buffer: JitterBuffer, sequences: list[int]) -> list[int | None]:
    """What the buffer hands on as each packet comes: the packet's number, or None while it holds on."""
    out: list[int | None] = []
    for sequence in sequences:
        _, frame = buffer.add(_packet(sequence))
        out.append(None if frame is None else frame.timestamp // _SAMPLES_PER_PACKET)
    return out


async def _server_connection() -> tuple[SmallWebRTCConnection, RTCPeerConnection]:
    browser = RTCPeerConnection()
    browser.addTransceiver("audio", direction="sendrecv")
    await browser.setLocalDescription(await browser.createOffer())
    server = SmallWebRTCConnection()
    await server.initialize(sdp=browser.localDescription.sdp, type=browser.localDescription.type)
    return server, browser


def _audio_buffer(server: SmallWebRTCConnection) -> JitterBuffer:
    (receiver,) = [t.receiver for t in server.pc.getTransceivers() if t.kind == "audio"]
    buffer = receiver._RTCRtpReceiver__jitter_buffer
    assert isinstance(buffer, JitterBuffer)
    return buffer


def test_the_server_hands_on_each_audio_packet_once_the_next_has_come() -> None:
    async def scenario() -> tuple[list[int | None], list[int | None]]:
        server, browser = await _server_connection()
        try:
            before = _released(_audio_buffer(server), list(range(6)))
            assert release_audio_promptly(server) == 1
            after = _released(_audio_buffer(server), list(range(6)))
        finally:
            await server.disconnect()
            await browser.close()
        return before, after

    before, after = asyncio.run(scenario())
    # aiortc's own buffer (a playout buffer, for ears) holds the first packet until four more have come: 80 ms.
    assert before == [None, None, None, None, 0, 1]
    assert after == [None, 0, 1, 2, 3, 4]


def test_packets_that_come_out_of_order_are_still_handed_on_in_order() -> None:
    buffer = JitterBuffer(capacity=16, prefetch=1)
    # 2 comes after 3: nothing leaves while 2 is missing, and 1 and 2 leave in order once it has come.
    assert _released(buffer, [0, 1, 3, 2, 4]) == [None, 0, None, 1, 2]
