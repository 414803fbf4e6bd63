"""The OpenAPI 3.1 document of ``/api/v1`` (served at ``/api/v1/openapi.json``).

Written by hand: Starlette has no schema generator, and a short literal document is
easier to review than a generator's output. ``tests/test_api.py`` checks that every
route in ``api.routes`` is described here and nothing else.
"""

from __future__ import annotations

from typing import Any

_ROW = {
    "type": "object",
    "description": "An event in the date range (task fields null) or one of its tasks: what, when, who leads "
                   "— the rows of `reminderd upcoming --json`. Task rows add key, done, done_at and done_by.",
    "required": ["event_id", "task_id", "title", "action", "event_date", "ordinal", "milestone", "country",
                 "tags", "window_start", "due", "owner", "support", "provisional"],
    "properties": {
        "event_id": {"type": "string"}, "task_id": {"type": ["string", "null"]},
        "title": {"type": "string"}, "action": {"type": ["string", "null"]},
        "event_date": {"type": "string", "format": "date"}, "ordinal": {"type": ["integer", "null"]},
        "milestone": {"type": "boolean"}, "country": {"type": ["string", "null"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "window_start": {"type": ["string", "null"], "format": "date"},
        "due": {"type": ["string", "null"], "format": "date"},
        "owner": {"type": ["string", "null"]}, "support": {"type": "array", "items": {"type": "string"}},
        "provisional": {"type": "boolean"}, "lead": {"type": ["string", "null"]}, "year": {"type": "integer"},
        "date_rule": {"type": "string"},
        "key": {"type": "string", "description": "event/task@YYYY-MM-DD (task rows)"},
        "done": {"type": "boolean"}, "done_at": {"type": ["string", "null"], "format": "date-time"},
        "done_by": {"type": ["string", "null"],
                    "description": "who marked it done (an access link's label, an editor, an e-mail address); "
                                   "null when not done, and always null for anonymous readers ([web] public_read)"},
    },
}
_EVENT = {
    "type": "object",
    "description": "A catalog [[event]] as JSON (the format: docs/CATALOG.md), e.g. "
                   "{\"id\": \"dai-su-nhat-den\", \"title\": \"…\", "
                   "\"date\": \"2025-03-12\", \"task\": [{\"id\": \"don-tiep\", \"action\": \"…\", "
                   "\"lead\": \"2-3wd\", \"owner\": \"so-ngoai-vu\", \"support\": [\"vp-ubnd\"]}]}. "
                   "Validated exactly like the catalog.",
    "required": ["id", "title", "date"],
    "additionalProperties": False,
    "properties": {k: {} for k in ("id", "title", "date", "country", "tags", "since", "every", "start", "until",
                                   "description", "task", "title_en", "source")},
}
_ITEM = {"type": "object", "properties": {
    "event_id": {"type": "string"}, "event": _EVENT, "created_by": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "origin": {"type": ["string", "null"], "description": "an imported item: the file and row it came from"}}}
_ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string"},
    "problems": {"type": "array", "items": {"type": "object", "properties": {
        "where": {"type": "string"}, "key": {"type": "string"}, "message": {"type": "string"},
        "warning": {"type": "boolean"}}}}}}


def _json(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _resp(code: str, text: str, schema: Any = None) -> dict[str, Any]:
    return {code: {"description": text, **(_json(schema) if schema is not None else {})}}


_ERRS = {**_resp("401", "no or bad token", _ERROR), **_resp("403", "not allowed, or CSRF header missing", _ERROR)}
_TOO_LARGE = {**_resp("413", "request body over the limit: 1 MiB, ad-hoc items 64 KiB (checked before "
                                  "it is read)", _ERROR)}
_ID = [{"name": "event_id", "in": "path", "required": True, "schema": {"type": "string"}}]


def openapi_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "reminderd API", "version": "1",
                 "description": "What is due, acknowledgements and ad-hoc items (docs/WEB.md). Authorise with "
                                "`Authorization: Bearer <token>` (`reminderd access create`), or the page's "
                                "session cookie plus an `X-CSRF-Token` header for changes."},
        "servers": [{"url": base_url.rstrip("/")}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Row": _ROW, "Event": _EVENT, "Item": _ITEM, "Error": _ERROR}},
        "security": [{"bearer": []}, {}],
        "paths": {
            "/api/v1/upcoming": {"get": {
                "summary": "Tasks and events in a date range (reads follow [web] public_read)",
                "parameters": [
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"},
                     "description": "default: today"},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
                     "description": "default: from + 30 days; at most 3 years after from; "
                                    "from and to within 1900-01-01..2100-12-31"},
                    {"name": "department", "in": "query", "schema": {"type": "string"},
                     "description": "only this department's work (lead or coordinating)"}],
                "responses": {**_resp("200", "rows, sorted by date", {"type": "array", "items": _ROW}),
                              **_resp("400", "bad parameter", _ERROR), **_ERRS}}},
            "/api/v1/ack": {"post": {
                "summary": "Mark a task occurrence done (same effect as the e-mail link)",
                "requestBody": {"required": True, **_json({"type": "object", "required": ["key"], "properties": {
                    "key": {"type": "string", "description": "event/task@YYYY-MM-DD"},
                    "note": {"type": "string"}}})},
                "responses": {**_resp("200", "done; changed is false if it already was", {
                    "type": "object", "properties": {"key": {"type": "string"}, "done": {"type": "boolean"},
                                                     "changed": {"type": "boolean"}}}),
                              **_resp("400", "bad body (not JSON, or nested deeper than 32 levels)", _ERROR),
                              **_resp("404", "no such task", _ERROR), **_TOO_LARGE, **_ERRS}}},
            "/api/v1/ack/{key}": {"delete": {
                "summary": "Undo: the task is not done after all, reminders resume (editors and the task's "
                           "own departments, lead or coordinating; recorded in the audit trail)",
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "event/task@YYYY-MM-DD, its slash as it is (or %2F)"}],
                "responses": {**_resp("200", "not done now; changed is false if it was not done", {
                    "type": "object", "properties": {"key": {"type": "string"}, "done": {"type": "boolean"},
                                                     "changed": {"type": "boolean"}}}),
                              **_resp("404", "no such task", _ERROR), **_ERRS}}},
            "/api/v1/adhoc": {
                "get": {"summary": "Ad-hoc items", "responses": {
                    **_resp("200", "items", {"type": "array", "items": _ITEM}), **_ERRS}},
                "post": {"summary": "Add an ad-hoc item (editors)", "requestBody": {"required": True, **_json(_EVENT)},
                         "responses": {**_resp("201", "stored; in plan, feeds and mail at once", _ITEM),
                                       **_resp("400", "the body is not JSON, or nested deeper than 32 levels",
                                               _ERROR),
                                       **_resp("422", "invalid: every problem, naming the key", _ERROR),
                                       **_TOO_LARGE, **_ERRS}}},
            "/api/v1/adhoc/{event_id}": {
                "get": {"summary": "One ad-hoc item", "parameters": _ID, "responses": {
                    **_resp("200", "the item", _ITEM), **_resp("404", "no such item", _ERROR), **_ERRS}},
                "put": {"summary": "Replace an ad-hoc item (editors)", "parameters": _ID,
                        "requestBody": {"required": True, **_json(_EVENT)},
                        "responses": {**_resp("200", "stored", _ITEM),
                                      **_resp("400", "the body is not JSON, or nested deeper than 32 levels", _ERROR),
                                      **_resp("404", "no such item", _ERROR),
                                      **_resp("422", "invalid", _ERROR), **_TOO_LARGE, **_ERRS}},
                "delete": {"summary": "Delete an ad-hoc item (editors)", "parameters": _ID,
                           "responses": {**_resp("204", "deleted"), **_resp("404", "no such item", _ERROR),
                                         **_ERRS}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "security": [{}],
                                             "responses": _resp("200", "OpenAPI 3.1", {"type": "object"})}},
            "/api/v1/": {"get": {"summary": "Index: the endpoints and where this document is", "security": [{}],
                                 "responses": _resp("200", "index", {"type": "object"})}},
        },
    }


def api_index(base_url: str) -> dict[str, Any]:
    """``GET /api/v1/``: what there is, from the OpenAPI document so the two cannot disagree."""
    doc = openapi_document(base_url)
    return {
        "name": doc["info"]["title"], "version": doc["info"]["version"],
        "openapi": "/api/v1/openapi.json", "docs": "docs/WEB.md (JSON API)",
        "endpoints": [{"method": method.upper(), "path": path, "summary": op["summary"]}
                      for path, ops in doc["paths"].items() if path != "/api/v1/"
                      for method, op in ops.items()],
    }
