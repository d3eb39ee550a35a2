"""The compile cache: capped by entries and by bytes, and no compiler output larger than the build cap."""

import os
import time
from pathlib import Path

import pytest

from mockroom.coding.runner import RunnerPool, StdioTest, Submission, Verdict
from mockroom.coding.runner import service as service_module
from mockroom.coding.runner.slots import remove_tree, work_root


def _entry(root: Path, name: str, *, mb: int, age: float) -> Path:
    path = root / name
    path.mkdir()
    (path / "main").write_bytes(os.urandom(mb << 20))
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_the_least_recently_used_builds_go_first_until_under_both_caps(tmp_path: Path) -> None:
    old, middle, young, newest = (_entry(tmp_path, name, mb=2, age=age) for name, age in
                                  (("old", 300), ("middle", 200), ("young", 100), ("newest", 0)))
    service_module.prune_cache(tmp_path, keep=newest, max_entries=3, max_mb=100)
    assert {path.name for path in tmp_path.iterdir()} == {"middle", "young", "newest"}
    service_module.prune_cache(tmp_path, keep=newest, max_entries=10, max_mb=5)
    assert {path.name for path in tmp_path.iterdir()} == {"young", "newest"}
    huge = _entry(tmp_path, "huge", mb=8, age=-10)
    service_module.prune_cache(tmp_path, keep=huge, max_entries=10, max_mb=5)
    assert {path.name for path in tmp_path.iterdir()} == {"huge"}  # the build just made stays for its run
    del old, middle, young


@pytest.mark.slow
def test_a_tiny_program_cannot_fill_the_disk_with_its_binary(pool: RunnerPool) -> None:
    source = 'asm(".fill 200000000");\nint main(void) { return 0; }\n'
    result = pool.run(submission=Submission(language="c", mode="stdio", source=source, stdio_tests=[StdioTest()]))
    assert result.verdict == Verdict.compilation_error
    assert f"larger than {service_module.BUILD_MAX_MB} MB" in (result.compile_output or "")
    cache = work_root() / "cache"
    sizes = [service_module._tree_bytes(entry) for entry in cache.iterdir()]
    assert max(sizes, default=0) <= service_module.BUILD_MAX_MB << 20
    assert sum(sizes) <= service_module.CACHE_MAX_MB << 20


def test_removing_a_build_never_changes_the_caches_own_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two workers pruning the same build: the second finds it gone. The cache folder must stay readable to the
    # sandbox's uid (it was once narrowed to 0700 here, and every compiled-language run failed after).
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    cache.chmod(0o755)
    locked = _entry(cache, "locked", mb=0, age=0)
    (locked / "inner").mkdir()
    (locked / "inner" / "file").write_text("x")
    (locked / "inner").chmod(0o500)
    monkeypatch.setattr(Path, "exists", lambda self: True)  # it was there when the worker looked
    remove_tree(cache / "gone")
    monkeypatch.undo()
    remove_tree(locked)
    assert not locked.exists() and cache.stat().st_mode & 0o777 == 0o755
