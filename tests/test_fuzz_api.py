"""schemathesis over the JSON API ``/api/v1``, driven by the app's own OpenAPI document
(``/api/v1/openapi.json``), against a real server on a real socket.

- Without a token, and with a made-up one: no 5xx anywhere, every change (POST, PUT, DELETE)
  is refused with 401, and the database is byte-for-byte what it was (every table compared).
- With an editor's token: no 5xx either, whatever the generated bodies, paths and queries
  (positive and negative generation: schema-valid and schema-breaking inputs).

Example counts are kept small so the file stays well under a minute. Reproduce:
``/work/venv/bin/python -m pytest -q tests/test_fuzz_api.py`` (docs/RELIABILITY.md).
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from reminderd import tokens
from reminderd.store import schema as tables

from .webutil import NOW, Live, make_context, serve

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the [test] extras")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

WRITES = {"POST", "PUT", "DELETE", "PATCH"}
CHECKS: list[Any] = [not_a_server_error, status_code_conformance, content_type_conformance,
                     response_schema_conformance]
CALLS: list[str] = []


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    srv = serve(make_context(sqlite_url))
    yield srv
    srv.stop()


def snapshot(live: Live) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with live.ctx.store.engine.connect() as conn:
        for name, table in tables.metadata.tables.items():
            rows = conn.execute(select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def operations(live: Live) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{live.url}/api/v1/openapi.json", timeout=30)
    ops = [r.ok() for r in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in ops} >= {
        "GET /api/v1/upcoming", "POST /api/v1/ack", "GET /api/v1/adhoc", "POST /api/v1/adhoc",
        "GET /api/v1/adhoc/{event_id}", "PUT /api/v1/adhoc/{event_id}", "DELETE /api/v1/adhoc/{event_id}"}
    return ops


def fuzz(live: Live, op: Any, headers: dict[str, str], examples: int,
         on_response: Any = None) -> None:
    strategy = op.as_strategy(GenerationMode.POSITIVE) | op.as_strategy(GenerationMode.NEGATIVE)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(base_url=live.url, headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS, headers=headers)
        CALLS.append(case.operation.label)
        if on_response is not None:
            on_response(case, response)

    run()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer " + "A" * 27},
                                     {"Authorization": "Bearer "}, {"Authorization": "Basic YWRtaW46YWRtaW4="}],
                         ids=["no-token", "made-up-token", "empty-bearer", "basic"])
def test_without_a_valid_token_nothing_fails_and_nothing_changes(live: Live, headers: dict[str, str]) -> None:
    # The first request makes the server's own session-signing key (daemon_state): not a change
    # anyone asked for, and made once; take the snapshot after it.
    httpx.get(f"{live.url}/api/v1/upcoming", timeout=30)
    before = snapshot(live)
    seen: list[str] = []

    def refused(case: Any, response: Any) -> None:
        seen.append(case.operation.method.upper())
        if case.operation.method.upper() in WRITES:
            assert response.status_code in (401, 400, 404, 405, 415, 422), (case.operation.label, response.status_code)
            assert response.status_code != 200 and response.status_code != 201 and response.status_code != 204

    for op in operations(live):
        fuzz(live, op, headers, 12, refused)
    assert WRITES & set(seen)
    after = snapshot(live)
    assert after == before, {k for k in before if before[k] != after[k]}


def test_with_an_editor_token_nothing_fails(live: Live) -> None:
    CALLS.clear()
    _, editor = tokens.create(live.ctx.store, "admin", "all", "fuzz editor", NOW)
    headers = {"Authorization": f"Bearer {editor}"}
    for op in operations(live):
        fuzz(live, op, headers, 25)
    calls = collections.Counter(CALLS)
    print("requests per operation:", dict(calls))
    # Operations with inputs get their examples; those without (list, index) need only one.
    assert len(calls) >= 8 and sum(n >= 20 for n in calls.values()) >= 6, calls


def test_dates_outside_the_calendars_are_a_400_not_a_500(live: Live) -> None:
    """Found by schemathesis: ``from=0001-01-02`` made the plan compute a date in year 0 (500)."""
    for q in ({"from": "0001-01-02", "to": "0001-01-02"}, {"from": "9999-12-30", "to": "9999-12-31"},
              {"from": "1899-12-31", "to": "1900-01-05"}):
        r = httpx.get(f"{live.url}/api/v1/upcoming", params=q, timeout=30)
        assert r.status_code == 400 and "1900-01-01..2100-12-31" in r.json()["error"], (q, r.text)
    assert httpx.get(f"{live.url}/api/v1/upcoming", params={"from": "1900-01-01", "to": "1900-02-01"},
                     timeout=30).status_code == 200
