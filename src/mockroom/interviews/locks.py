"""The lock of one interview: its turns (an answer, a code run, a hint, the end) never interleave, even when
several app processes share one PostgreSQL database.

Within a process a thread lock queues the interview's turns cheaply. On PostgreSQL the holder also takes a
session-level advisory lock keyed on the interview id, on a connection of its own, and keeps it until it lets go.
Neither transaction-scoped choice fits: `pg_advisory_xact_lock` and `SELECT ... FOR UPDATE` both end at the
first commit, and a turn commits more than once (the candidate's answer before the interviewer thinks, so a crash
loses nothing), and a code run holds the lock with no session open while the code runs. If a process dies, the
server closes its connections and so releases its locks: nothing stays locked. The lock connections come from a
pool of their own, so turns waiting for a lock never starve the sessions of the turns that hold one, and they run
in autocommit, so a waiting connection is never idle in a transaction. SQLite is one process by nature: the
thread lock is all it needs.
"""

import hashlib
import threading
import time
import weakref
from types import TracebackType

import anyio
import anyio.to_thread
from sqlalchemy import Connection, Engine, create_engine, text

from mockroom.db.engine import Database

# The first key of every interview lock, which tells them apart from any other advisory lock ("mkin").
ADVISORY_NAMESPACE = int.from_bytes(b"mkin", "big")
_LOCAL_POLL_SECONDS = 0.02
_DATABASE_POLL_SECONDS = 0.05
# One connection per interview in a turn in this process (its other turns wait on the thread lock first), as many as
# the session pool's 20, so that a busy process holds at most 40 connections; past that a turn waits for the pool.
_LOCK_POOL_SIZE, _LOCK_POOL_OVERFLOW = 5, 15

_lock_engines: weakref.WeakKeyDictionary[Database, Engine] = weakref.WeakKeyDictionary()
_lock_engines_guard = threading.Lock()


def advisory_key(interview_id: str) -> int:
    """The interview's second advisory-lock key; two ids sharing one only makes their turns queue together."""
    return int.from_bytes(hashlib.blake2b(interview_id.encode(), digest_size=4).digest(), "big", signed=True)


def lock_engine(db: Database) -> Engine | None:
    """The engine whose connections hold the database's interview locks; None when the database is not PostgreSQL."""
    if db.engine.dialect.name != "postgresql":
        return None
    with _lock_engines_guard:
        engine = _lock_engines.get(db)
        if engine is None:
            engine = _lock_engines[db] = create_engine(
                db.engine.url, isolation_level="AUTOCOMMIT", pool_pre_ping=True,
                pool_size=_LOCK_POOL_SIZE, max_overflow=_LOCK_POOL_OVERFLOW,
            )
        return engine


class InterviewLock:
    """One holder's handle on an interview's lock: the thread lock this process shares for the interview, plus the
    advisory lock when `engine` is given. Use it from one thread (or task) at a time."""

    def __init__(self, local: threading.Lock, *, interview_id: str, engine: Engine | None) -> None:
        self.local = local
        self._engine = engine
        self._keys = {"namespace": ADVISORY_NAMESPACE, "key": advisory_key(interview_id)}
        self._connection: Connection | None = None

    def acquire(self) -> None:
        """Waits for the interview's other turns, in this process and then in the others."""
        self.local.acquire()
        try:
            if self._engine is not None:
                connection = self._engine.connect()
                try:
                    connection.execute(text("SELECT pg_advisory_lock(:namespace, :key)"), self._keys)
                except BaseException:
                    _discard(connection)
                    raise
                self._connection = connection
        except BaseException:
            self.local.release()
            raise

    async def acquire_within(self, seconds: float) -> bool:
        """Takes the lock from async code without holding a thread while another turn finishes; False if it is
        still taken after `seconds`."""
        deadline = time.monotonic() + seconds
        while not self.local.acquire(blocking=False):
            if time.monotonic() > deadline:
                return False
            await anyio.sleep(_LOCAL_POLL_SECONDS)
        if self._engine is None:
            return True
        try:
            connection = await anyio.to_thread.run_sync(self._engine.connect)
            try:
                while not await anyio.to_thread.run_sync(self._try_advisory, connection):
                    if time.monotonic() > deadline:
                        connection.close()
                        self.local.release()
                        return False
                    await anyio.sleep(_DATABASE_POLL_SECONDS)
            except BaseException:
                _discard(connection)
                raise
        except BaseException:
            self.local.release()
            raise
        self._connection = connection
        return True

    def _try_advisory(self, connection: Connection) -> bool:
        return bool(connection.execute(text("SELECT pg_try_advisory_lock(:namespace, :key)"), self._keys).scalar())

    def release(self) -> None:
        """Lets the next turn in; a connection that cannot unlock is closed, which unlocks it too."""
        connection, self._connection = self._connection, None
        try:
            if connection is not None:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:namespace, :key)"), self._keys)
                except Exception:
                    _discard(connection)
                else:
                    connection.close()
        finally:
            self.local.release()

    def __enter__(self) -> "InterviewLock":
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()


def _discard(connection: Connection) -> None:
    """Closes the connection for good rather than pooling it, so no advisory lock outlives its holder."""
    connection.invalidate()
    connection.close()
