"""GET /api/voice: what the mic check hears when voice cannot work on this server."""

from pathlib import Path

from fastapi.testclient import TestClient

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
