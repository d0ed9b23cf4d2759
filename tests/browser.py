"""Headless Chromium for page tests and benchmarks.

Uses Debian's ``chromium`` (``apt-get install -y chromium``) driven by
Playwright for Python; ``playwright install`` is never needed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """The Chromium binary to drive, or None when there is none."""
    for candidate in (os.environ.get("KG_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if chromium_path() is None:
        return "no Chromium at /usr/bin/chromium (apt-get install -y chromium)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium browser (Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(),
            args=list(CHROMIUM_ARGS),
            headless=True,
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did besides rendering: requests, console errors, exceptions."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(
    browser: Any,
    path: Path,
    *,
    width: int = 1280,
    height: int = 800,
    timeout_ms: int = 30_000,
) -> tuple[Any, PageLog]:
    """Open ``path`` via file:// and wait until the graph page says it is ready."""
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog()
    page.on("request", lambda req: log.requests.append(req.url))
    page.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.errors.append(f"pageerror: {exc}"))
    page.goto(path.resolve().as_uri())
    wait_ready(page, timeout_ms=timeout_ms)
    return page, log


def wait_ready(page: Any, *, timeout_ms: int = 30_000) -> None:
    # A selector wait, not wait_for_function: the page's CSP forbids the
    # eval() Playwright uses for string predicates.
    page.wait_for_selector('body[data-ready="1"]', state="attached", timeout=timeout_ms)
