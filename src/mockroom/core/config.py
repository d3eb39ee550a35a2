"""Settings: one typed object read from the environment (prefix MOCKROOM_) or a .env file."""

import ipaddress
import json
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from limits import parse_many
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob Mockroom reads, with the embedded, offline default for each."""

    model_config = SettingsConfigDict(env_prefix="MOCKROOM_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite database and caches live.")
    cache_dir: Path = Field(
        default=Path.home() / ".cache" / "mockroom",
        description="Where computed model data (embeddings, the joined Whisper base model) is cached.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is a SQLite file in the data directory. "
        "Example: postgresql+psycopg://user@127.0.0.1:5432/mockroom",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    auth: Literal["local", "accounts"] = Field(
        default="local",
        description="local: one user, no sign-in, loopback only (scripts/run.sh); accounts: e-mail/password or "
        "external sign-in, required for any address other than 127.0.0.1.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names the server answers to (JSON list or comma-separated); 127.0.0.1, localhost, ::1 and "
        "the configured host are always allowed. Other Host headers get 400, which stops DNS rebinding.",
    )
    session_days: float = Field(default=14.0, description="How long a sign-in lasts.")
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto", description="Mark the session cookie Secure: auto = when the request came over HTTPS."
    )
    retention_days: int = Field(
        default=0, description="Interviews older than this many days are deleted (checked hourly); 0 keeps them."
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies (JSON list or comma-separated) whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; from anyone else those headers are ignored.",
    )
    redis_url: str = Field(
        default="",
        description="Redis for the rate-limit counts, shared by every server using it, e.g. redis://127.0.0.1:6379/0; "
        "empty keeps them in this process's memory.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="Server log lines: text, or json (one object per line) for a log collector."
    )
    metrics_token: str = Field(
        default="",
        description="Bearer token Prometheus sends for /metrics in accounts mode; empty serves them only to "
        "loopback requests that did not come through a proxy.",
    )
    readiness_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Longest wait for the database or Redis in /api/health/ready."
    )
    graceful_shutdown_seconds: int = Field(
        default=30, ge=0,
        description="On SIGTERM, how long requests in flight may take to finish before they are cut and voice "
        "calls hung up.",
    )
    rate_limits_enabled: bool = Field(default=True, description="Enforce the rate limits below (off for local hacking).")
    rate_limit_interview_start_per_user: str = Field(
        default="20/hour", description="Interviews one account may start (limits notation, e.g. '20/hour')."
    )
    rate_limit_interview_start_per_ip: str = Field(default="60/hour", description="Interviews one address may start.")
    rate_limit_answer_per_user: str = Field(default="60/minute", description="Answers (plain or streamed) per account.")
    rate_limit_code_run_per_user: str = Field(
        default="30/minute", description="Code runs, submissions and coding hints per account, together."
    )
    rate_limit_cv_parse_per_user: str = Field(default="20/hour", description="CV previews per account.")
    rate_limit_voice_offer_per_user: str = Field(default="30/hour", description="Voice call offers per account.")
    rate_limit_sign_in_per_ip: str = Field(
        default="10/15 minutes", description="Sign-in and registration attempts per address, together."
    )
    rate_limit_sign_in_per_email: str = Field(default="10/15 minutes", description="Sign-in attempts per e-mail.")
    sign_in_lockout_after_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins for one e-mail (within an hour) before it is locked out."
    )
    sign_in_lockout_seconds: int = Field(
        default=30, ge=1, description="First lockout; each further failure doubles it, and a success ends it."
    )
    sign_in_lockout_max_seconds: int = Field(default=900, ge=1, description="Longest lockout.")
    oidc_issuer: str = Field(
        default="",
        description="OpenID Connect provider for 'Sign in with ...' (e.g. https://accounts.google.com); its "
        "/.well-known/openid-configuration is read. Sign-in is off while this or oidc_client_id is empty.",
    )
    oidc_client_id: str = Field(default="", description="Client id registered with the OpenID Connect provider.")
    oidc_client_secret: str = Field(
        default="", description="Client secret (kept on the server); empty for a public client, which PKCE protects."
    )
    oidc_redirect_uri: str = Field(
        default="",
        description="Callback URL registered with the provider; default: this server's /api/auth/oidc/callback as "
        "the request reached it (set it behind a proxy that changes the scheme or host).",
    )
    oidc_scopes: str = Field(default="openid email profile", description="Scopes asked of the OpenID provider.")
    firebase_project_id: str = Field(
        default="", description="Firebase project whose Auth ID tokens sign users in; sign-in is off while empty."
    )
    firebase_certs_url: str = Field(
        default="https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com",
        description="Where Firebase publishes the X.509 certificates that sign its ID tokens (tests use a local fake).",
    )
    external_auth_timeout_seconds: float = Field(
        default=10.0, description="Longest wait for the OpenID provider or Firebase's certificate endpoint."
    )
    brain: str = Field(default="embedded", description="Which brain conducts interviews: embedded.")
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, description="Largest accepted CV upload.")
    max_answer_chars: int = Field(default=20_000, description="Longest accepted answer.")
    llm_provider: str = Field(
        default="none", description="LLM behind the interviewer: none (embedded brain), openai, gemini or local."
    )
    llm_base_url: str = Field(
        default="https://api.openai.com/v1", description="OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp)."
    )
    llm_model: str = Field(default="", description="Model name for the chosen provider.")
    llm_api_key: str = Field(default="", description="Key for the OpenAI-compatible server (kept on the server).")
    gemini_api_key: str = Field(default="", description="Google Gemini API key (kept on the server).")
    gemini_base_url: str = Field(default="", description="Override of the Gemini endpoint (tests use a local fake).")
    llm_model_path: Path | None = Field(default=None, description="GGUF file for the local provider.")
    llm_timeout_seconds: float = Field(default=60.0, description="Per-request timeout for LLM calls.")
    llm_max_retries: int = Field(default=2, description="Retries with backoff on 429, 5xx and timeouts.")
    llm_turn_budget_seconds: float = Field(
        default=6.0, description="Longest a typed turn waits for the model; past it the embedded brain answers."
    )
    llm_voice_turn_budget_seconds: float = Field(
        default=1.5, description="Longest a spoken turn waits for the model; past it the embedded brain answers."
    )
    llm_report_budget_seconds: float = Field(
        default=30.0, description="Longest the report's summary waits for the model when the interview ends; past it "
        "the built-in summary stands."
    )
    llm_calibrate: bool = Field(
        default=True, description="Time a local model at start-up; one too slow for a turn's budget sits those turns "
        "out (the built-in interviewer answers them) and is used for the report only."
    )
    llm_threads: int = Field(default=2, description="CPU threads for the local GGUF model.")
    llm_context_tokens: int = Field(default=4096, description="Context window of the local GGUF model.")
    web_dist: Path | None = Field(default=None, description="Built web app to serve at /; default web/dist.")
    interviewer_name: str = "Alex"
    code_runner: str = Field(
        default="sandbox", description="Who runs candidates' code: sandbox (local bubblewrap) or judge0."
    )
    code_runner_workers: int = Field(default=0, description="Sandbox workers; 0 means one per CPU core.")
    code_runner_queue: int = Field(
        default=0, description="Runs that may wait for a free worker (more get HTTP 429); 0 means four per worker."
    )
    code_runner_first_uid: int = Field(
        default=0,
        description="First sandbox uid of this server (worker N runs as it + N); 0 picks free uids from 60001. "
        "Either way each uid is locked, so two servers on one host never share one.",
    )
    code_queue: Literal["", "redis"] = Field(
        default="",
        description="redis: queue code runs on redis_url for `mockroom runner` workers, so this server runs no "
        "candidate code itself; empty runs them in this process.",
    )
    code_queue_timeout_seconds: float = Field(
        default=60.0, gt=0, le=600,
        description="How long a queued run may wait for a worker and run; after that the candidate gets HTTP 503.",
    )
    judge0_url: str = Field(default="", description="Judge0 server for code_runner=judge0, e.g. http://127.0.0.1:2358.")
    judge0_key: str = Field(default="", description="Judge0 auth token, if the server needs one (kept on the server).")
    judge0_key_header: str = Field(
        default="X-Auth-Token", description="Header carrying judge0_key (RapidAPI's hosted Judge0: X-RapidAPI-Key)."
    )
    judge0_language_ids: dict[str, int] = Field(
        default_factory=lambda: {"python": 71, "javascript": 63, "c": 50, "cpp": 54, "java": 62, "go": 60, "rust": 73},
        description="Judge0 language id per Mockroom language (as JSON in the environment).",
    )
    judge0_timeout_seconds: float = Field(default=60.0, description="Longest wait for one Judge0 run.")
    voice_enabled: bool = Field(default=True, description="Offer live voice interviews (loads the speech models).")
    stt_provider: str = Field(default="whisper", description="Speech-to-text: whisper (embedded) or deepgram.")
    stt_model: str = Field(
        default="tiny.en",
        description="Whisper model: tiny.en (bundled, English only), base (multilingual, extra whisper-base) "
        "or a CTranslate2 dir.",
    )
    stt_language: str = Field(
        default="en",
        description="Language the candidate speaks to Whisper: a code such as en, de or fr, or auto to detect it "
        "per utterance. Other than en needs a multilingual model; an English-only one refuses to start.",
    )
    stt_threads: int = Field(
        default=1, ge=1,
        description="CPU threads of one embedded speech-to-text transcription: one lets concurrent calls share the "
        "cores fairly.",
    )
    stt_workers: int = Field(
        default=0, ge=0,
        description="Embedded transcriptions run at once across all calls; 0 means one per stt_threads CPU cores.",
    )
    stt_short_window: bool = Field(
        default=True,
        description="Encode utterances shorter than 25 s in a window cut to their length plus 5 s (10 s at least) "
        "rather than Whisper's 30 s: a short answer's transcript comes two to three times sooner, as accurate; a "
        "decode that loops is caught and redone the usual way. Needs stt_language set.",
    )
    tts_provider: str = Field(
        default="hibari",
        description='Text-to-speech: hibari (embedded), piper (embedded, voice joe; GPL-3.0+, so an optional extra: '
        'pip install -e ".[piper]"), elevenlabs or gemini_live.',
    )
    tts_voice: str = Field(default="heart", description="Voice of hibari, the embedded text-to-speech engine.")
    deepgram_api_key: str = Field(default="", description="Deepgram API key (kept on the server).")
    deepgram_url: str = Field(default="wss://api.deepgram.com/v1/listen", description="Deepgram live endpoint.")
    deepgram_model: str = Field(default="nova-3", description="Deepgram speech model.")
    elevenlabs_api_key: str = Field(default="", description="ElevenLabs API key (kept on the server).")
    elevenlabs_url: str = Field(default="https://api.elevenlabs.io", description="ElevenLabs API base URL.")
    elevenlabs_voice_id: str = Field(default="", description="ElevenLabs voice id for the interviewer.")
    elevenlabs_model: str = Field(default="eleven_flash_v2_5", description="ElevenLabs speech model.")
    gemini_live_model: str = Field(
        default="gemini-live-2.5-flash-preview",
        description="Gemini Live model for stt_provider/tts_provider=gemini_live (key: gemini_api_key).",
    )
    gemini_live_voice: str = Field(default="Puck", description="Gemini Live prebuilt voice for the interviewer.")
    gemini_live_url: str = Field(
        default="https://generativelanguage.googleapis.com/",
        description="Gemini Live base URL; the SDK connects to it with wss:// (tests use a local fake).",
    )
    gemini_live_timeout_seconds: float = Field(
        default=15.0, description="Longest wait for Gemini Live to connect or to send its next message."
    )
    voice_turn_silence_seconds: float = Field(
        default=0.6, description="Silence after which the end of the candidate's turn is first considered."
    )
    voice_max_pause_seconds: float = Field(
        default=2.5, description="Silence that always ends the turn; shorter thinking pauses never do."
    )
    voice_smart_turn_threshold: float = Field(
        default=0.5, description="Smart Turn probability above which an utterance counts as complete."
    )
    voice_smart_turn_floor: float = Field(
        default=0.1, description="Smart Turn probability below which an utterance sounds unfinished whatever its "
        "words: the turn then ends only after the longest pause."
    )
    voice_turn_unsure_seconds: float = Field(
        default=1.2, description="Silence that ends the turn when the words are finished but Smart Turn is unsure "
        "(between the floor and the threshold)."
    )
    voice_sure_last_word: float = Field(
        default=0.6, ge=0.0, le=1.0, description="Probability the transcriber must give the last word for the words "
        "to read as finished; below it (Whisper's guess at a word cut short by a pause, or a term it does not know) "
        "the turn ends only after the longest pause. 0 turns the check off."
    )
    voice_sure_mark: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Probability the transcriber must give the full stop closing the "
        "words for them to read as finished. 0 turns the check off."
    )
    voice_sure_sentence_end: float = Field(
        default=0.02, ge=0.0, le=1.0, description="Probability the sentence-end model (SmolLM2-135M) must give a "
        "sentence end after finished-looking words for them to read as finished; below it ('the biggest mistake we "
        "made was choosing') the turn ends only after the longest pause. 0 turns the check off and the model is "
        "not loaded."
    )
    voice_barge_in_seconds: float = Field(
        default=0.3, description="Speech needed while the interviewer talks before it stops (barge-in)."
    )
    voice_incremental_stt: bool = Field(
        default=True,
        description="Transcribe a long answer in stretches while the candidate speaks, so the end of the turn only "
        "waits for the rest: on a 32 s answer the transcript is ready 0.26 s after the speech instead of 1.7 s. "
        "Answers shorter than a stretch (voice_stt_stretch_seconds) are transcribed whole.",
    )
    voice_stt_stretch_seconds: float = Field(
        default=8.0, gt=0.0,
        description="The shortest stretch of an answer transcribed on its own. Each cut at a pause can lose a quiet "
        "word ending ('pipelines' heard as 'pipeline'), so stretches are long: at 2.5 s the word error rate on 32 s "
        "answers was 10.5 %, at 8 s 9.4 %, whole 8.3-8.7 %.",
    )
    voice_check_in_seconds: float = Field(
        default=25.0, description="Silence after the interviewer's last words before a gentle check-in."
    )
    voice_coding_quiet_seconds: float = Field(
        default=90.0, description="Silence allowed during a coding exercise before any check-in."
    )
    avatar_provider: Literal["local", "tavus", "heygen"] = Field(
        default="local",
        description="Who draws the interviewer in a voice call: local (the web app's own avatar), tavus (a Tavus CVI "
        "replica) or heygen (a HeyGen LiveAvatar in LITE mode). A hosted avatar speaks Mockroom's own audio, word for "
        "word; when it fails, the call goes on with the local avatar.",
    )
    tavus_api_key: str = Field(default="", description="Tavus API key (kept on the server).")
    tavus_replica_id: str = Field(default="", description="Tavus replica (the face) of the interviewer.")
    tavus_persona_id: str = Field(
        default="pipecat0",
        description="Tavus persona: one that speaks exactly what it is sent (pipeline_mode echo). The default, "
        "pipecat0, is Tavus's echo persona for audio from pipecat; a persona in any other mode is refused.",
    )
    tavus_url: str = Field(default="https://tavusapi.com/v2", description="Tavus API base URL (tests use a local fake).")
    tavus_test_mode: bool = Field(
        default=False,
        description="Create Tavus conversations in test mode (the replica never joins and nothing is billed; calls "
        "then go on with the local avatar): for a smoke test of the key and the REST calls.",
    )
    heygen_api_key: str = Field(default="", description="HeyGen LiveAvatar API key (kept on the server).")
    heygen_avatar_id: str = Field(default="", description="LiveAvatar avatar of the interviewer.")
    heygen_url: str = Field(
        default="https://api.liveavatar.com/v1", description="LiveAvatar API base URL (tests use a local fake)."
    )
    heygen_sandbox: bool = Field(
        default=False, description="Start LiveAvatar sessions in sandbox mode (free, for trying the integration)."
    )
    avatar_connect_timeout_seconds: float = Field(
        default=15.0,
        description="Longest wait at the start of a call for the hosted avatar's first video; the first question "
        "waits for it, and past it the call uses the local avatar.",
    )
    avatar_stall_seconds: float = Field(
        default=1.5,
        description="A hosted avatar whose video stops, or that does not speak the audio it was sent, for this long "
        "is given up for the rest of the call; the local avatar goes on from the words not yet heard.",
    )
    avatar_video_width: int = Field(default=640, ge=16, description="Width of the hosted avatar's video sent on.")
    avatar_video_height: int = Field(default=360, ge=16, description="Height of the hosted avatar's video sent on.")

    @field_validator("allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # ValueError names the entry that is not an address
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "redis+unix://")):
            raise ValueError("use a redis://, rediss:// or redis+unix:// URL")
        return value

    @field_validator(
        "rate_limit_interview_start_per_user", "rate_limit_interview_start_per_ip", "rate_limit_answer_per_user",
        "rate_limit_code_run_per_user", "rate_limit_cv_parse_per_user", "rate_limit_voice_offer_per_user",
        "rate_limit_sign_in_per_ip", "rate_limit_sign_in_per_email",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as error:
            raise ValueError(f"{value!r} is not a rate such as '20/hour', '10/15 minutes' or '5/minute;50/day'") \
                from error
        return value

    def hosts(self) -> set[str]:
        """Every Host name this server answers to (ports are not part of it)."""
        return {"127.0.0.1", "localhost", "::1", self.host, *self.allowed_hosts}

    def resolved_database_url(self) -> str:
        """The configured URL, or the SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mockroom.db').resolve()}"


@cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
