"""Browser tests: the real app served by `mentorship serve` (uvicorn) on its own database,
driven in Debian's Chromium by Playwright: one server and one browser for all the browser
tests, a fresh context (cookies, storage) for each page a test asks for.

Fixtures: `live_server` (`.url`, `.create_user()`, `.api_client()`, `.cli()`), `browser`,
`new_page(viewport)` (a factory: "desktop" is 1280×800, "phone" 390×844), and `page` /
`phone_page` for one page of each. Helpers (axe scans, screenshots, the sideways-scroll check,
signing in through the form) are in helpers.py.

Outside CI the tests skip when Chromium or axe-core is missing; in CI (CI=true) they fail.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from mentorship.config import get_settings
from tests.browser.helpers import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    VIEWPORTS,
    Demo,
    LiveServer,
    browser_share,
    database_label,
    demo_accounts,
    in_ci,
    missing_browser_tools,
    output_dir,
    screenshot,
    screenshot_dir,
    share_suffix,
)

BROWSER_DIR = Path(__file__).parent
# Both halves of scripts/test run at once on two cores: give pages time on a busy machine.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

_CALL_FAILED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser` (so `-m "not browser"` leaves them out);
    with MENTORSHIP_TEST_BROWSER_SHARE=K/N keep only every N-th of them, from the K-th."""
    share = browser_share()
    kept, left_out = [], []
    position = 0
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            position += 1
            if share is not None and (position - share[0]) % share[1]:
                left_out.append(item)
                continue
        kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test itself failed, for the failure screenshots."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


# --- tools, server, browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_tools() -> None:
    """Skip (outside CI) or fail (in CI) when Chromium or axe-core is missing."""
    problem = missing_browser_tools()
    if problem is None:
        return
    if in_ci():
        pytest.fail(f"browser tests cannot run: {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


def free_port() -> int:
    """A port nobody listens on right now (LiveServer.start tries another if it is taken)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def fresh_database_url(data_dir: Path) -> str:
    """An empty database for the live server, never the main suite's.

    SQLite: a file in the server's data folder. PostgreSQL: `<main database>_browser` (with
    `_K` for the K-th share of the browser tests) on the same server, dropped and created anew
    (the main suite drops the public schema of its own database, so the two must differ).
    """
    main = get_settings().database
    if main.engine == "sqlite":
        return f"sqlite:///{data_dir / 'browser.sqlite'}"
    import asyncpg

    parts = urlsplit(main.url)
    name = parts.path.strip("/") + "_browser" + share_suffix().replace("-", "_")
    connection = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")), timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
        # Throw-away data: commits need not wait for the log to reach the disk.
        await connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await connection.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


# The server and the browser last as long as the browser tests (package scope: stopped after
# the last test in tests/browser, not kept idle through the rest of the suite).
@pytest.fixture(scope="package")
async def live_server(browser_tools: None) -> AsyncIterator[LiveServer]:
    """`mentorship serve` on a free port, migrated, with its own keys and data folder.

    Its log is <output>/server-<database>.log; old screenshots of this database are removed.
    """
    label = database_label()
    output_dir().mkdir(parents=True, exist_ok=True)
    if browser_share() is None:  # shares write side by side: scripts/test empties it first
        shutil.rmtree(screenshot_dir(), ignore_errors=True)
    data_dir = Path(tempfile.mkdtemp(prefix=f"mentorship-browser-{label}-"))
    env = {name: value for name, value in os.environ.items() if not name.startswith("MENTORSHIP_")}
    env.update(
        MENTORSHIP_ENV="development",
        MENTORSHIP_DATA_DIR=str(data_dir),
        MENTORSHIP_DATABASE_URL=await fresh_database_url(data_dir),
        MENTORSHIP_SECRET_KEY=secrets.token_urlsafe(48),
        MENTORSHIP_AUDIT_KEY=secrets.token_urlsafe(48),
        MENTORSHIP_NOTES_KEY=secrets.token_urlsafe(48),
        MENTORSHIP_ALLOWED_HOSTS="127.0.0.1,localhost",
        MENTORSHIP_COOKIE_SECURE="false",
        MENTORSHIP_LOGIN_MAX_FAILURES_PER_ACCOUNT="5",
        # Every test signs in from 127.0.0.1: the per-address limit would lock them all out.
        MENTORSHIP_LOGIN_MAX_FAILURES_PER_ADDRESS="10000",
        MENTORSHIP_LOG_LEVEL="INFO",
        # Production-strength argon2 took most of the server's time in these tests (each
        # sign-in); tests/accounts/test_passwords.py checks the production parameters.
        MENTORSHIP_PASSWORD_HASH_PROFILE="test",
        PYTHONUNBUFFERED="1",
    )
    log_path = output_dir() / f"server-{label}{share_suffix()}.log"
    log_path.unlink(missing_ok=True)
    server = LiveServer(env, log_path)
    try:
        await server.cli("migrate")
        await asyncio.to_thread(server.start, free_port)
        yield server
    finally:
        await server.aclose()
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="package")
async def demo(live_server: LiveServer) -> Demo:
    """The demo district on the live server (built once, by `mentorship demo`): its sites,
    skills, mentors, requests, cases, and one sign-in per role (`demo.coordinator`, …).

    Tests share it: one that changes demo data must not break another's expectations (find
    things by what the test itself made, or by what no other test changes)."""
    await live_server.cli("demo")
    return demo_accounts(live_server.data_dir)


@pytest.fixture(scope="package")
async def browser(browser_tools: None) -> AsyncIterator[Browser]:
    """Debian's Chromium, headless, launched by path (never Playwright's own download)."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH),
            headless=True,
            args=CHROMIUM_ARGS,
            chromium_sandbox=False,
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def new_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[..., Awaitable[Page]]]:
    """A factory: `await new_page("phone")` is a page in a fresh context (its own cookies,
    so one per person in a test), with relative URLs on the live server.

    When the test fails, every page it opened is saved as FAILED-<test>-<n>; an uncaught
    JavaScript error on any page fails the test.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    async def make(viewport: str = "desktop") -> Page:
        context = await browser.new_context(
            base_url=live_server.url, locale="en-US", **VIEWPORTS[viewport]
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield make
    try:
        if request.node.stash.get(_CALL_FAILED, False):
            number = 0
            for context in contexts:
                for page in context.pages:
                    number += 1
                    saved = await screenshot(page, f"FAILED-{request.node.name}-{number}")
                    print(f"failure screenshot: {saved} (page {page.url})")
            print(f"live server log: {live_server.log_path}")
    finally:
        for context in contexts:
            await context.close()
    if errors:
        pytest.fail("uncaught JavaScript error(s):\n" + "\n".join(errors))


@pytest.fixture
async def page(new_page: Callable[..., Awaitable[Page]]) -> Page:
    """A desktop page (1280×800), signed out."""
    return await new_page("desktop")


@pytest.fixture
async def phone_page(new_page: Callable[..., Awaitable[Page]]) -> Page:
    """A phone page (390×844, touch, 2× pixels), signed out."""
    return await new_page("phone")
