"""Prometheus metrics: counters, histograms and gauges hold the values of the requests made, and who may read them."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from mockroom.api import observability


def _samples(client: TestClient, **kwargs) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_errors_and_latency_are_counted_by_route_template(make_app):
    with TestClient(make_app()) as client:
        before = _samples(client)
        for _ in range(3):
            assert client.get("/api/health/live").status_code == 200
        assert client.get("/api/interviews/no-such-id").status_code == 404
        assert client.get("/api/interviews/another-id").status_code == 404
        after = _samples(client)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    live = {"method": "GET", "route": "/api/health/live"}
    missing = {"method": "GET", "route": "/api/interviews/{interview_id}"}
    assert delta("mockroom_http_requests_total", **live, status="2xx") == 3
    assert delta("mockroom_http_errors_total", **live, status="2xx") == 0
    assert delta("mockroom_http_requests_total", **missing, status="4xx") == 2
    assert delta("mockroom_http_errors_total", **missing, status="4xx") == 2
    assert delta("mockroom_http_request_duration_seconds_count", **live) == 3
    assert delta("mockroom_http_request_duration_seconds_bucket", **live, le="+Inf") == 3
    assert delta("mockroom_http_request_duration_seconds_sum", **live) > 0
    # Ids never become labels: no series names the raw path.
    assert not any("no-such-id" in str(labels) for _, labels in after)


def test_turn_latency_counts_each_answered_turn(make_app):
    with TestClient(make_app()) as client:
        interview = client.post("/api/interviews", json={"topic": "Python"}).json()
        before = _samples(client)
        answer = {"text": "I build backend services in Python with FastAPI and PostgreSQL."}
        assert client.post(f"/api/interviews/{interview['id']}/answer", json=answer).status_code == 200
        with client.stream("POST", f"/api/interviews/{interview['id']}/answer/stream", json=answer) as stream:
            assert "event: reply" in "".join(stream.iter_text())
        assert client.post("/api/interviews/no-such-id/answer", json=answer).status_code == 404
        after = _samples(client)

    for mode in ("plain", "stream"):
        count = "mockroom_turn_duration_seconds_count"
        assert _value(after, count, mode=mode) - _value(before, count, mode=mode) == 1
        assert _value(after, "mockroom_turn_duration_seconds_sum", mode=mode) > \
            _value(before, "mockroom_turn_duration_seconds_sum", mode=mode)


def test_gauges_read_voice_calls_and_the_queue_depth(make_app):
    app = make_app()
    with TestClient(app) as client:
        assert _value(_samples(client), "mockroom_voice_calls_active") == 0
        app.state.voice = SimpleNamespace(sessions={"call-1", "call-2"})
        assert _value(_samples(client), "mockroom_voice_calls_active") == 2

        observability.set_queue_depth_source(lambda: 7)
        assert _value(_samples(client), "mockroom_code_run_queue_depth") == 7

        def broken() -> int:
            raise ConnectionError("redis is down")

        observability.set_queue_depth_source(broken)
        try:
            assert _value(_samples(client), "mockroom_code_run_queue_depth") == 7  # the last value stays
        finally:
            observability.set_queue_depth_source(lambda: 0)
    del app.state.voice


def test_metrics_in_accounts_mode_only_for_loopback_or_the_token(make_app):
    app = make_app(auth="accounts")
    with TestClient(app) as remote:
        refused = remote.get("/metrics")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    with TestClient(app, client=("127.0.0.1", 50000)) as local:
        assert local.get("/metrics").status_code == 200
        # A reverse proxy on the same host says whom it forwards for: that is not a local scraper.
        assert local.get("/metrics", headers={"x-forwarded-for": "203.0.113.9"}).status_code == 403

    token_app = make_app(auth="accounts", metrics_token="s3cret-token")
    with TestClient(token_app, client=("127.0.0.1", 50000)) as client:
        assert client.get("/metrics").status_code == 403
        assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 403
        assert client.get("/metrics", headers={"authorization": "Basic s3cret-token"}).status_code == 403
        assert "mockroom_http_requests_total" in client.get(
            "/metrics", headers={"authorization": "Bearer s3cret-token"}).text


_ONE_PROCESS = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from mockroom.api.app import create_app
from mockroom.core.config import Settings

tmp = Path(sys.argv[1])
app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'mp.db'}", web_dist=tmp / "no-web",
                          allowed_hosts=["testserver"]), warm=False)
with TestClient(app) as client:
    for _ in range(int(sys.argv[2])):
        assert client.get("/api/health/live").status_code == 200
    if len(sys.argv) > 3:
        print(client.get("/metrics").text)
"""


@pytest.mark.slow
def test_multiprocess_mode_sums_every_process(tmp_path: Path):
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-c", _ONE_PROCESS, str(tmp_path), *args], env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        return done.stdout

    run("2")
    text = run("3", "scrape")
    samples = {(s.name, frozenset(s.labels.items())): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    labels = frozenset({"method": "GET", "route": "/api/health/live", "status": "2xx"}.items())
    assert samples[("mockroom_http_requests_total", labels)] == 5


def test_metrics_are_not_taken_for_a_page_of_the_web_app(make_app, tmp_path: Path):
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>Mockroom</title>")
    with TestClient(make_app(web_dist=web)) as client:
        assert "Mockroom" in client.get("/history").text
        assert "# TYPE mockroom_http_requests_total counter" in client.get("/metrics").text
