"""Fuzzes the running server over its whole OpenAPI document (schemathesis, stateless).

Every operation gets a few valid and a few invalid requests, generated deterministically:
no answer may be a 5xx, and every answer must match the document (status, content type,
schema). The server refuses internal addresses (the default), so generated URLs never
reach anything; each request has a timeout, so a stuck route fails instead of hanging.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import Client
from tests.server_process import ServerProcess, free_port

JSON = {"Content-Type": "application/json"}

EXAMPLES = 12  # per operation and mode: the whole run stays well under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# /ws answers an upgrade, which a plain HTTP client cannot make (tests/realtime covers it).
# /api/thumbnail answers 502 when its upstream cannot be reached, which is every generated
# URL here; tests/thumbnails covers its answers.
NOT_FUZZED = {("GET", "/ws"), ("GET", "/api/thumbnail")}


# The operations are fuzzed in PARTS tests, each on a fresh server of its own: parallel
# workers run them at once, and each part sees the same server state in every run (its
# operations in document order, on a server nothing else touched), so runs stay alike.
PARTS = 4


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path / "fuzz",
        YTP_ALLOW_INTERNAL_URLS="false",  # generated URLs reach nothing
        YTP_CONSOLE_ENABLED="true",  # so /api/yt-dlp/command is fuzzed past its 403
        YTP_UPDATE_INDEX_URL=f"http://127.0.0.1:{free_port()}/pypi",  # no outside index
    )
    process.start()
    yield process
    process.stop()


def fuzz(operation: Any, mode: schemathesis.GenerationMode, base_url: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # a failure is reported, not shrunk
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=20)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("part", range(PARTS))
def test_every_operation_answers_within_its_schema(server: ServerProcess, part: int) -> None:
    """Every operation of the document is fuzzed in exactly one part (every PARTS-th)."""
    schema = schemathesis.openapi.from_url(f"{server.base_url}/api/openapi.json")
    failures = []
    operations = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid document fails here
        if (operation.method.upper(), operation.path) not in NOT_FUZZED:
            operations.append(operation)
    assert len(operations) > 40
    for operation in operations[part::PARTS]:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, server.base_url)
            except Unsatisfiable:
                pass  # nothing to make invalid (no parameters, no body)
            except (Exception, BaseExceptionGroup) as exc:  # one report for the whole API
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)


# What the fuzzing found, kept as plain tests.


async def test_a_lone_surrogate_in_a_body_is_a_400(client: Client) -> None:
    # JSON allows "\ud800"; SQLite, file names and yt-dlp then fail to encode it (was a 500).
    body = '{"type": "done", "ids": ["\\ud800"]}'
    answer = await client.delete("/api/history", data=body, headers=JSON)
    assert answer.status == 400
    assert "lone surrogate" in (await answer.json())["error"]
    pair = '{"type": "done", "ids": ["\\ud83d\\ude00"]}'  # a proper pair is text
    answer = await client.delete("/api/history", data=pair, headers=JSON)
    assert answer.status == 200
