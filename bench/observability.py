"""What the request-id and metrics middleware costs each request, and what one /metrics scrape costs.

    .venv/bin/python bench/observability.py [--requests 20000]

Runs a bare ASGI app and the same app inside `RequestContext` (request id, log context, three metric updates)
in one process, and prints microseconds per request for each and milliseconds per scrape. No server or network.
"""

import argparse
import asyncio
import statistics
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockroom.api.observability import RequestContext, exposition


async def _answer(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def _per_request(app: ASGIApp, requests: int) -> float:
    scope = {"type": "http", "method": "GET", "path": "/api/interviews/abc/report",
             "headers": [(b"x-request-id", b"bench-1")]}

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    start = time.perf_counter()
    for _ in range(requests):
        await app(dict(scope), receive, send)
    return (time.perf_counter() - start) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    bare = asyncio.run(_per_request(_answer, args.requests))
    wrapped = asyncio.run(_per_request(RequestContext(_answer), args.requests))
    print(f"bare app:              {bare:7.1f} µs per request")
    print(f"inside RequestContext: {wrapped:7.1f} µs per request ({wrapped - bare:.1f} µs added)")
    scrapes = []
    for _ in range(50):
        start = time.perf_counter()
        exposition()
        scrapes.append((time.perf_counter() - start) * 1e3)
    print(f"/metrics exposition:   {statistics.median(scrapes):7.2f} ms per scrape (median of 50)")


if __name__ == "__main__":
    main()
