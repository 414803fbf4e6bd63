"""Assemble the Starlette application from the route modules that exist.

Each module under ``reminderd.web`` that serves URLs exposes
``routes(ctx) -> list[BaseRoute]``; this file only puts them together, so the
feeds, acknowledgement, health and page parts can grow independently.
"""

from __future__ import annotations

import importlib

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from ..context import Context

# Route modules, in matching order.
ROUTE_MODULES = ["health", "feeds", "ack", "api", "pages"]


def create_app(ctx: Context) -> Starlette:
    routes: list[BaseRoute] = []
    for name in ROUTE_MODULES:
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__package__}.{name}":
                continue  # that part is not built yet
            raise
        routes.extend(mod.routes(ctx))
    app = Starlette(routes=routes)
    app.state.ctx = ctx
    return app
