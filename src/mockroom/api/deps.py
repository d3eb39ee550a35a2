"""Shared request dependencies: the database, the brain and the settings of the app."""

from typing import Annotated

from fastapi import Depends, Request

from mockroom.brains.base import Brain
from mockroom.core.config import Settings
from mockroom.db.engine import Database


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def _brain(request: Request) -> Brain:
    return request.app.state.brain  # type: ignore[no-any-return]


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


DatabaseDep = Annotated[Database, Depends(_db)]
BrainDep = Annotated[Brain, Depends(_brain)]
SettingsDep = Annotated[Settings, Depends(_settings)]
