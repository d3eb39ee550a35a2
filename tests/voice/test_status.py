"""GET /api/voice: what the mic check hears when voice cannot work on this server."""

from pathlib import Path

from fastapi.testclient import TestClient
from tests.avatar.fakes import TAVUS_KEY, FakeTavus

from mockroom.api.app import create_app
from mockroom.core.config import Settings


def _status(tmp_path: Path, **overrides: object) -> dict[str, object]:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'm.db'}", web_dist=tmp_path / "none",
        allowed_hosts=["testserver"], **overrides
    )
    with TestClient(create_app(settings, warm=False)) as client:
        response = client.get("/api/voice")
    assert response.status_code == 200
    return dict(response.json())


def test_a_speech_model_that_cannot_load_makes_voice_unavailable_with_the_reason(tmp_path: Path) -> None:
    empty = tmp_path / "no-model"
    empty.mkdir()
    status = _status(tmp_path, stt_model=str(empty))
    assert status["available"] is False
    assert "model.bin" in str(status["message"])


def test_voice_switched_off_says_so(tmp_path: Path) -> None:
    status = _status(tmp_path, voice_enabled=False)
    assert status["available"] is False and "MOCKROOM_VOICE_ENABLED" in str(status["message"])


def test_the_status_says_which_avatar_calls_will_use_without_reaching_the_provider(tmp_path: Path) -> None:
    with FakeTavus() as tavus:
        status = _status(tmp_path, avatar_provider="tavus", tavus_api_key=TAVUS_KEY, tavus_replica_id="r",
                         tavus_url=tavus.base_url)
        assert status["available"] is True and status["avatar"] == "tavus"
        assert TAVUS_KEY not in str(status)
        assert tavus.received == [], "the mic check bills nothing: a conversation is made only when a call starts"


def test_a_hosted_avatar_missing_its_key_is_reported_as_the_local_one(tmp_path: Path) -> None:
    status = _status(tmp_path, avatar_provider="heygen", heygen_avatar_id="a")
    assert status["available"] is True and status["avatar"] == "local"
