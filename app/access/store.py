"""API keys in SQLite: the ``api_keys`` table. Only each key's SHA-256 is stored."""

from __future__ import annotations

import json
import sqlite3

import aiosqlite
from pydantic import BaseModel, Field

from app.access.permissions import Permission, Role, permissions_of
from app.core.db import Database
from app.core.errors import Conflict


class ApiKey(BaseModel):
    """A key as lists show it: never the key itself, only its first characters."""

    id: int
    name: str
    role: Role
    permissions: list[Permission]
    prefix: str
    created_at: float
    hash: str = Field(exclude=True)

    @property
    def granted(self) -> frozenset[Permission]:
        return permissions_of(self.role, frozenset(self.permissions))


def _parse(row: aiosqlite.Row) -> ApiKey:
    return ApiKey(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        permissions=json.loads(row["permissions"]),
        prefix=row["prefix"],
        created_at=row["created_at"],
        hash=row["hash"],
    )


class KeyStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> list[ApiKey]:
        sql = "SELECT * FROM api_keys ORDER BY id"
        return await self._db.load_rows("api_keys", sql, _parse)

    async def add(self, key: ApiKey) -> ApiKey:
        try:
            new_id = await self._db.insert(
                "INSERT INTO api_keys (name, hash, prefix, role, permissions, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key.name,
                    key.hash,
                    key.prefix,
                    key.role.value,
                    json.dumps([p.value for p in key.permissions]),
                    key.created_at,
                ),
            )
        except sqlite3.IntegrityError:
            raise Conflict(f"An API key named '{key.name}' already exists.") from None
        return key.model_copy(update={"id": new_id})

    async def replace_hash(self, key_id: int, digest: str, prefix: str) -> None:
        await self._db.execute(
            "UPDATE api_keys SET hash = ?, prefix = ? WHERE id = ?", (digest, prefix, key_id)
        )

    async def delete(self, key_id: int) -> bool:
        return await self._db.execute("DELETE FROM api_keys WHERE id = ?", (key_id,)) > 0
