"""Whether this server can take requests: its database answers and is migrated, and its Redis answers when one is
configured. A load balancer sends traffic only to a server whose checks all pass.

Each check runs in a small thread pool of its own with a short timeout, so a database that hangs neither holds up
the probe nor takes threads from the requests being served. The reasons given are short and never carry
connection details (the probe needs no sign-in); the full error goes to the log.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from alembic.script import ScriptDirectory
from loguru import logger
from redis import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mockroom.db.engine import MIGRATIONS_DIR, Database

# Two threads: one for the database, one for Redis. A check stuck past its timeout keeps its thread until the
# driver gives up, and the next probe queues behind it (and times out too, as it should).
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readiness")


class NotReady(Exception):
    """A check that failed, with the short reason the probe reports."""


@cache
def _head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def check_database(db: Database) -> str:
    """'ok' when the database answers and its schema is at the newest migration; else raises NotReady."""
    try:
        with db.engine.connect() as connection:
            try:
                current = frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))
            except DBAPIError:  # no version table: never migrated
                current = frozenset()
    except Exception as error:
        logger.warning("readiness: database unreachable: {}", error)
        raise NotReady("unreachable") from error
    if current != _head_revisions():
        raise NotReady(f"migrations pending (at {', '.join(sorted(current)) or 'none'})")
    return "ok"


def redis_check(url: str, timeout: float) -> Callable[[], str]:
    """A check of the Redis at `url` ('ok' when it answers a ping) over one client kept between probes."""
    client = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)

    def check() -> str:
        try:
            client.ping()
        except Exception as error:
            logger.warning("readiness: redis unreachable: {}", error)
            raise NotReady("unreachable") from error
        return "ok"

    return check


async def run_checks(checks: dict[str, Callable[[], str]], *, timeout: float) -> dict[str, str]:
    """Runs the checks side by side; each name maps to 'ok' or the reason it is not ready."""
    loop = asyncio.get_running_loop()

    async def one(check: Callable[[], str]) -> str:
        try:
            return await asyncio.wait_for(loop.run_in_executor(_checks, check), timeout)
        except TimeoutError:
            return f"no answer within {timeout:g} s"
        except NotReady as error:
            return str(error)

    results = await asyncio.gather(*(one(check) for check in checks.values()))
    return dict(zip(checks, results, strict=True))
