"""Local fake of Gemini Live: BidiGenerateContent over a WebSocket, speaking its documented JSON messages.

The client sends `setup` first (model, `generationConfig.responseModalities`, `speechConfig`, `systemInstruction`,
`inputAudioTranscription`, `outputAudioTranscription`) and the server answers `setupComplete`. Then
`realtimeInput.audio` (base64 PCM, `audio/pcm;rate=16000`) and `realtimeInput.audioStreamEnd` are answered with
`serverContent.inputTranscription` and `turnComplete`; `clientContent` turns with `serverContent.modelTurn` audio
(base64 24 kHz PCM as `inlineData`), `outputTranscription`, `generationComplete` and `turnComplete`. A bad key closes
the socket with an error code after the setup, as the service does.

google-genai always connects with `wss://`, so the fake serves TLS with a throwaway self-signed certificate for
127.0.0.1; the tests trust it through `SSL_CERT_FILE`.
"""

import asyncio
import base64
import datetime
import ipaddress
import json
import re
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

GEMINI_LIVE_KEY = "live-test-key"
METHOD = "GenerativeService.BidiGenerateContent"
OUTPUT_RATE = 24_000
SECONDS_PER_WORD = 0.1


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    return cert_path, key_path


def _field(message: dict[str, Any], name: str, default: Any = None) -> Any:
    """`message[name]` under its camelCase or snake_case spelling: the service, like any protobuf JSON parser,
    takes both, and google-genai writes some fields (`realtime_input`, `client_content`, the speech config) in
    snake_case where the documentation shows camelCase."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return message.get(name, message.get(snake, default))


def voice_name(setup: dict[str, Any]) -> str | None:
    """The prebuilt voice a `setup` message asks for."""
    speech = _field(_field(setup, "generationConfig", {}), "speechConfig", {})
    return _field(_field(_field(speech, "voiceConfig", {}), "prebuiltVoiceConfig", {}), "voiceName")


def _setup_problem(setup: dict[str, Any]) -> str:
    """Why the fake refuses a `setup` message, or "" when it is what the adapter should send."""
    generation = _field(setup, "generationConfig", {})
    if not str(setup.get("model", "")).startswith("models/"):
        return "model must be models/{name}"
    if _field(generation, "responseModalities") != ["AUDIO"]:
        return "responseModalities must be [AUDIO]"
    if not isinstance(_field(setup, "inputAudioTranscription"), dict):
        return "inputAudioTranscription missing"
    if not isinstance(_field(setup, "outputAudioTranscription"), dict):
        return "outputAudioTranscription missing"
    if not voice_name(setup):
        return "no prebuilt voice"
    return ""


def _bytes(data: str) -> bytes:
    """A protobuf JSON `bytes` field: standard or URL-safe base64, padded or not (google-genai sends URL-safe)."""
    return base64.urlsafe_b64decode(data.replace("+", "-").replace("/", "_") + "=" * (-len(data) % 4))


def _speech(words: int) -> bytes:
    """A 220 Hz tone, `SECONDS_PER_WORD` per word, as 24 kHz little-endian PCM."""
    t = np.arange(int(OUTPUT_RATE * SECONDS_PER_WORD * words)) / OUTPUT_RATE
    return (np.sin(2 * np.pi * 220 * t) * 12_000).astype("<i2").tobytes()


def _content(**fields: Any) -> str:
    return json.dumps({"serverContent": fields})


class GeminiLiveFake:
    """Runs the fake on a free loopback port (TLS) for the duration of a `with` block.

    `behaviour` picks how it answers the next sessions: "normal", "close" (setupComplete, then close with 1011
    at the first client message) or "silent" (never answers the setup). `sessions` records what each session got.
    """

    def __init__(self) -> None:
        self.behaviour = "normal"
        self.sessions: list[dict[str, Any]] = []

    def __enter__(self) -> "GeminiLiveFake":
        self._directory = tempfile.TemporaryDirectory()
        self.cert_path, key_path = _self_signed(Path(self._directory.name))
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.load_cert_chain(self.cert_path, key_path)
        started = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._serve(started)), daemon=True)
        self.thread.start()
        if not started.wait(10):
            raise RuntimeError("fake Gemini Live server did not start")
        return self

    async def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with serve(self._session, "127.0.0.1", 0, ssl=self._tls) as server:
            self.port = int(next(iter(server.sockets)).getsockname()[1])
            started.set()
            await self._stop.wait()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(timeout=5)
        self._directory.cleanup()

    async def _session(self, socket: ServerConnection) -> None:
        record: dict[str, Any] = {
            "path": socket.request.path if socket.request else "", "audio": bytearray(), "mime_types": set(),
            "audio_stream_end": False, "turns": [],
        }
        self.sessions.append(record)
        if not record["path"].endswith(METHOD):
            await socket.close(1008, "Unknown method.")
            return
        try:
            setup = json.loads(await socket.recv())["setup"]
            record["setup"] = setup
            headers = socket.request.headers if socket.request else {}
            if headers.get("x-goog-api-key") != GEMINI_LIVE_KEY:
                await socket.close(1007, "API key not valid. Please pass a valid API key.")
                return
            if problem := _setup_problem(setup):
                await socket.close(1007, f"Invalid setup: {problem}.")
                return
            if self.behaviour == "silent":
                await socket.wait_closed()
                return
            await socket.send(json.dumps({"setupComplete": {}}))
            async for raw in socket:
                if self.behaviour == "close":
                    await socket.close(1011, "Internal error encountered.")
                    return
                await self._answer(socket, json.loads(raw), record)
        except ConnectionClosed:
            return

    async def _answer(self, socket: ServerConnection, message: dict[str, Any], record: dict[str, Any]) -> None:
        realtime = _field(message, "realtimeInput", {})
        if "audio" in realtime:
            record["audio"].extend(_bytes(realtime["audio"]["data"]))
            record["mime_types"].add(_field(realtime["audio"], "mimeType"))
        if _field(realtime, "audioStreamEnd"):
            record["audio_stream_end"] = True
            seconds = len(record["audio"]) / 2 / 16_000
            await socket.send(_content(inputTranscription={"text": "I heard"}))
            # The model starts its own answer to what it heard; a listener ignores it.
            await socket.send(_content(modelTurn={"parts": [{"inlineData": {
                "mimeType": f"audio/pcm;rate={OUTPUT_RATE}", "data": base64.b64encode(_speech(2)).decode(),
            }}]}))
            await socket.send(_content(inputTranscription={"text": f" {seconds:.1f} seconds."}))
            await socket.send(_content(turnComplete=True))
        content = _field(message, "clientContent")
        if content is not None:
            record["turns"].append(content)
            text = " ".join(part.get("text", "") for turn in content.get("turns", []) for part in turn["parts"])
            words = text.split()
            pcm = _speech(len(words))
            pieces = [pcm[start:start + 4_801] for start in range(0, len(pcm), 4_801)]  # odd sizes, as streamed
            for index, piece in enumerate(pieces):
                await socket.send(_content(modelTurn={"parts": [{"inlineData": {
                    "mimeType": f"audio/pcm;rate={OUTPUT_RATE}", "data": base64.b64encode(piece).decode(),
                }}]}))
                if index < len(words):
                    await socket.send(_content(outputTranscription={"text": (" " if index else "") + words[index]}))
            if len(words) > len(pieces):
                await socket.send(_content(outputTranscription={"text": " " + " ".join(words[len(pieces):])}))
            await socket.send(_content(generationComplete=True))
            await socket.send(_content(turnComplete=True))
