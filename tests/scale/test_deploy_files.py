"""The deploy files: the compose file, the systemd units, the example settings and scripts/cluster.sh.

No container engine or systemd runs here, so these check structure and agreement with the code: the four
services and their health checks, settings names that Settings really reads, and commands the CLI accepts.
"""

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mockroom.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


class UnitParser(configparser.RawConfigParser):
    """systemd's INI dialect, near enough: option names keep their case, a repeated option keeps its last value."""

    def __init__(self) -> None:
        super().__init__(strict=False, empty_lines_in_values=False)

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def unit(name: str) -> UnitParser:
    parser = UnitParser()
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def interpolated(value: str) -> str:
    """A compose value with ${NAME:-default} replaced by its default, and ${NAME:?message} or ${NAME} by "secret"."""

    def stand_in(match: re.Match[str]) -> str:
        return match.group(2) if match.group(1) == ":-" else "secret"

    return re.sub(r"\$\{\w+(:[-?])?([^}]*)\}", stand_in, value)


def settings_from(env: dict[str, str]) -> Settings:
    """Settings built from these MOCKROOM_ variables alone; raises when a name is unknown or a value invalid."""
    fields = {}
    for name, value in env.items():
        if not name.startswith("MOCKROOM_"):
            continue
        field = name.removeprefix("MOCKROOM_").lower()
        assert field in Settings.model_fields, f"{name} is not a Mockroom setting"
        fields[field] = value
    return Settings.model_validate(fields)


def test_compose_has_app_runner_postgres_and_redis_each_with_a_health_check():
    services = compose()["services"]
    assert set(services) == {"app", "runner", "postgres", "redis"}
    for name, service in services.items():
        assert service["healthcheck"]["test"], f"{name} has no health check"
    assert "/api/health/ready" in " ".join(services["app"]["healthcheck"]["test"])
    assert services["postgres"]["image"].endswith("postgres:16-bookworm")
    assert services["redis"]["image"].endswith("redis:7-bookworm")


def test_compose_app_runs_several_workers_and_the_runner_takes_code_runs_from_redis():
    services = compose()["services"]
    app, runner = services["app"]["command"], services["runner"]["command"]
    assert app[:2] == ["mockroom", "serve"] and "--workers" in app
    assert runner[:2] == ["mockroom", "runner"]
    assert services["runner"]["image"] == services["app"]["image"]
    assert any(volume.endswith(":/var/lib/mockroom") for volume in services["app"]["volumes"])
    assert services["app"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["app"]["depends_on"]["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", ["app", "runner"])
def test_compose_environment_is_accounts_on_postgres_and_redis_with_real_setting_names(service):
    env = {name: interpolated(str(value)) for name, value in compose()["services"][service]["environment"].items()}
    settings = settings_from(env)
    assert settings.auth == "accounts"
    assert settings.resolved_database_url().startswith("postgresql+psycopg://mockroom:secret@postgres:5432/")
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.code_queue == "redis"


def test_example_env_file_names_only_real_settings_with_valid_values():
    env = {}
    for line in (DEPLOY / "mockroom.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    settings = settings_from(env)
    assert settings.auth == "accounts" and settings.code_queue == "redis"
    assert settings.resolved_database_url().startswith("postgresql+psycopg://")
    assert env["APP_WORKERS"].isdigit()


def test_app_unit_runs_mockroom_serve_as_its_own_user_hardened():
    service = unit("mockroom-app.service")["Service"]
    assert re.fullmatch(r"/opt/mockroom/\.venv/bin/mockroom serve --workers \$\{APP_WORKERS\}", service["ExecStart"])
    assert service["User"] == "mockroom"
    assert service["EnvironmentFile"] == "/etc/mockroom/env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["CapabilityBoundingSet"] == ""


def test_runner_unit_runs_mockroom_runner_with_what_bubblewrap_needs_left_open():
    parsed = unit("mockroom-runner@.service")
    service = parsed["Service"]
    assert service["ExecStart"] == "/opt/mockroom/.venv/bin/mockroom runner"
    assert service["EnvironmentFile"] == "/etc/mockroom/env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert "CAP_SETUID" in service["CapabilityBoundingSet"].split()
    # Read-only mounts over /proc directories make the kernel refuse bubblewrap's fresh /proc.
    for blocked in ("ProtectKernelTunables", "ProtectProc", "ProtectControlGroups", "RestrictNamespaces",
                    "PrivateUsers"):
        assert blocked not in service, f"{blocked} would stop the sandbox"
    assert "%i" in parsed["Unit"]["Description"]
    assert parsed["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.parametrize(("command", "flag"), [("serve", "--workers"), ("runner", "--slots")])
def test_the_cli_accepts_the_commands_the_deploy_files_run(command, flag):
    result = subprocess.run([sys.executable, "-m", "mockroom", command, "--help"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert flag in result.stdout


def test_containerfile_copies_only_paths_that_exist():
    sources = []
    for line in (DEPLOY / "Containerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            sources += line.split()[1:-1]
    assert "scripts/setup-sandbox.sh" in sources
    for source in sources:
        assert (ROOT / source).exists(), f"the Containerfile copies {source}, which is not in the repository"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_cluster_script_parses():
    result = subprocess.run(["bash", "-n", str(ROOT / "scripts" / "cluster.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
