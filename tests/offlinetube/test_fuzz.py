"""Fuzzes OfflineTube over its own OpenAPI document, on its own port (as the native one is
fuzzed in tests/test_schemathesis.py): no 5xx but the declared 502s, every answer in its
schema. Searches fail at once (the fixture search key without its site: a 502)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error

from tests.server_process import ServerProcess, free_port
from tests.test_schemathesis import CHECKS, EXAMPLES

# A search source that fails is a 502 these operations declare (status conformance still
# holds them to it); every other 5xx is a failure.
UPSTREAM = {"/api/search", "/api/trending", "/api/thumbnails/{task_id}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, int]]:
    port = free_port()
    process = ServerProcess(
        tmp_path_factory.mktemp("otfuzz"),
        YTP_ALLOW_INTERNAL_URLS="false",  # generated URLs reach nothing
        YTP_OFFLINETUBE_PORT=str(port),
        YTP_OFFLINETUBE_SEARCH="fixturesearch",
    )
    process.start()
    yield process, port
    process.stop()


def fuzz(operation: Any, mode: schemathesis.GenerationMode, base_url: str, checks: Any) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(base_url=base_url, checks=checks, timeout=20)

    run()


@pytest.mark.slow
def test_every_operation_answers_within_its_schema(server: tuple[ServerProcess, int]) -> None:
    base_url = f"http://127.0.0.1:{server[1]}"
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid document fails here
        tried += 1
        upstream = operation.path in UPSTREAM
        checks = [c for c in CHECKS if not (upstream and c is not_a_server_error)]
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, base_url, checks)
            except Unsatisfiable:
                pass  # nothing to make invalid (no parameters, no body)
            except (Exception, BaseExceptionGroup) as exc:  # one report for the whole API
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert tried >= 12
    assert not failures, "\n\n".join(failures)
