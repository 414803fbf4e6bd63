"""axe-core (npm ``axe-core``) in a Playwright page: accessibility checks for the browser tests.

CI installs it (``.ci/run``: ``npm ci --prefix tests/js``); locally::

    (npm ci --prefix tests/js)

``AXE_CORE_JS`` may point at another ``axe.min.js``. Without it, ``axe_source()`` skips the
calling test, saying how to install it. Use::

    from .axe import assert_no_violations
    assert_no_violations(page, "the overview")   # after the page (or a state of it) is shown

The page's Content-Security-Policy does not stop it: the script is evaluated through the
browser's debugging protocol, not added to the page.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest

AXE_JS = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def _source(path: str) -> str | None:
    p = Path(path)
    return p.read_text(encoding="utf-8") if p.is_file() else None


def axe_source() -> str:
    path = os.environ.get("AXE_CORE_JS") or str(AXE_JS)
    src = _source(path)
    if src is None:
        pytest.skip(f"axe-core is not installed ({path} is missing): "
                    "(npm ci --prefix tests/js); .ci/run does it")
    return src


def violations(page: Any, *, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (every rule axe runs by default: WCAG 2.x A
    and AA, and its best practices)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    result = page.evaluate("async (ctx) => await axe.run(ctx || document)", context)
    return list(result["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_violations(page: Any, where: str, *, exclude: list[str] | None = None) -> None:
    found = violations(page, exclude=exclude)
    assert not found, f"axe on {where} ({page.url}):\n{describe(found)}"
