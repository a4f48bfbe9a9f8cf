"""What browser tests use besides fixtures: the live server, axe scans, screenshots, layout
checks and signing in through the form.

The fixtures that build these are in conftest.py beside this file; docs/running.md has the
overview ("Browser tests").
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page

from mentorship.access.roles import Role
from mentorship.config import get_settings
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = Path("/usr/bin/chromium")
AXE_PATH = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
# --no-sandbox: the tests run as root, where Chromium's sandbox will not start. The others keep
# a headless Chromium off the network (it needs none: the server is on this machine) and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-proxy-server",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
SERIOUS_IMPACTS = ("serious", "critical")


def in_ci() -> bool:
    """True in CI (CI=true), where missing browser tools fail instead of skipping."""
    return os.environ.get("CI") == "true"


def database_label() -> str:
    """Which half of scripts/test this process is: 'sqlite' or 'postgresql'."""
    return "postgresql" if get_settings().database.engine == "postgres" else "sqlite"


def output_dir() -> Path:
    """The test output folder: MENTORSHIP_TEST_OUTPUT_DIR, by default test-output/."""
    configured = os.environ.get("MENTORSHIP_TEST_OUTPUT_DIR")
    return Path(configured).resolve() if configured else ROOT / "test-output"


def browser_share() -> tuple[int, int] | None:
    """MENTORSHIP_TEST_BROWSER_SHARE=K/N: this process runs the K-th of N shares of the
    browser tests (scripts/test runs two, one beside each pytest process), or None: all."""
    configured = os.environ.get("MENTORSHIP_TEST_BROWSER_SHARE")
    if not configured:
        return None
    number, _, count = configured.partition("/")
    share = (int(number), int(count))
    if not 1 <= share[0] <= share[1]:
        raise ValueError(f"MENTORSHIP_TEST_BROWSER_SHARE={configured}: expected K/N, 1 <= K <= N")
    return share


def share_suffix() -> str:
    """'' when the browser tests run whole, else '-K': names kept apart per share."""
    share = browser_share()
    return "" if share is None else f"-{share[0]}"


def screenshot_dir() -> Path:
    """Where screenshots go: <output>/screenshots/<database label>/."""
    return output_dir() / "screenshots" / database_label()


def missing_browser_tools() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not os.access(CHROMIUM_PATH, os.X_OK):
        return f"no Chromium at {CHROMIUM_PATH} (./scripts/test installs Debian's chromium)"
    if not AXE_PATH.is_file():
        return f"no {AXE_PATH.relative_to(ROOT)} (./scripts/test installs it with npm ci)"
    return None


# --- the live server -----------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """An account made in the live server's database, with what signs it in."""

    email: str
    password: str
    name: str
    roles: tuple[Role, ...]


class LiveServer:
    """`mentorship serve` on a free port, on its own database and data folder.

    `env` is the environment the server runs with. Data for a test goes in the way a person
    or an operator puts it there: `create_user()` (the admin API), `api_client()` (the JSON
    API as any account) and `cli()` (any `mentorship` command on the server's database).
    """

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._numbers = itertools.count(1)
        self._clients: list[httpx.AsyncClient] = []
        self._admin: httpx.AsyncClient | None = None

    @property
    def data_dir(self) -> Path:
        """The server's data folder (MENTORSHIP_DATA_DIR)."""
        return Path(self.env["MENTORSHIP_DATA_DIR"])

    def setting(self, name: str) -> str:
        """One MENTORSHIP_* setting of the server, by the variable's name without prefix."""
        return self.env[f"MENTORSHIP_{name}"]

    def cli_blocking(self, *args: str, input: str | None = None) -> str:
        """Run `mentorship ARGS` against the server's database; its output, or a failure."""
        done = subprocess.run(
            [sys.executable, "-m", "mentorship", *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            pytest.fail(f"mentorship {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout

    async def cli(self, *args: str, input: str | None = None) -> str:
        """`cli_blocking` without blocking the event loop the browser runs on."""
        return await asyncio.to_thread(self.cli_blocking, *args, input=input)

    async def api_client(self, account: Account) -> httpx.AsyncClient:
        """An HTTP client signed in as the account over the JSON API; it sends the CSRF
        header on every request. Closed when the session ends."""
        client = httpx.AsyncClient(base_url=self.url, trust_env=False, timeout=30)
        self._clients.append(client)
        response = await client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
        if response.status_code != 200:
            pytest.fail(f"{account.email} could not sign in over the API: {response.text}")
        client.headers["x-csrftoken"] = response.json()["csrf_token"]
        return client

    async def admin(self) -> httpx.AsyncClient:
        """An API client signed in as the session's admin (made on first use with
        `mentorship create-user`, as an operator makes the first admin)."""
        if self._admin is None:
            admin = Account("browser-admin@example.org", PASSWORD, "Browser Admin", (Role.ADMIN,))
            await self.cli(
                *("create-user", "--email", admin.email, "--name", admin.name),
                *("--role", "admin", "--password-stdin"),
                input=admin.password + "\n",
            )
            self._admin = await self.api_client(admin)
        return self._admin

    async def create_user(
        self,
        *roles: Role,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
    ) -> Account:
        """An account with a password, made by an admin over the API (default role employee).

        Emails default to a new `personN@example.org`, so tests sharing the server (and its
        database, for the whole session) never collide. The admin doing it is made once per
        session with `mentorship create-user`, as an operator makes the first admin.
        """
        number = next(self._numbers)
        account = Account(
            email=email or f"person{number}@example.org",
            password=password,
            name=name or f"Browser Person {number}",
            roles=roles or (Role.EMPLOYEE,),
        )
        admin = await self.admin()
        response = await admin.post(
            "/api/v1/accounts",
            json={
                "email": account.email,
                "display_name": account.name,
                "roles": [role.value for role in account.roles],
                "password": account.password,
            },
        )
        if response.status_code != 201:
            pytest.fail(f"could not create {account.email}: {response.text}")
        return account

    async def aclose(self) -> None:
        """Close the API clients."""
        for client in self._clients:
            await client.aclose()

    def start(self, port_for: Any, attempts: int = 3) -> None:
        """Start serving; `port_for()` gives a free port (another is tried if it was taken)."""
        for _ in range(attempts):
            port = port_for()
            with self.log_path.open("ab") as log:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "mentorship", "serve", "--port", str(port)],
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._wait_until_healthy(f"http://127.0.0.1:{port}"):
                self.url = f"http://127.0.0.1:{port}"
                return
            self.stop()
        log_tail = self.log_path.read_text(errors="replace")[-3000:]
        pytest.fail(f"the live server did not start; its log ({self.log_path}) ends:\n{log_tail}")

    def _wait_until_healthy(self, url: str, timeout: float = 30.0) -> bool:
        # No proxy, whatever the environment says: the server is on this machine.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False  # exited: most likely the port was taken meanwhile
            try:
                with opener.open(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        """Stop the server (uvicorn shuts down gracefully on SIGTERM)."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@dataclass(frozen=True)
class Demo:
    """The demo district (`mentorship demo`) on the live server, with its five sign-ins."""

    admin: Account
    coordinator: Account
    supervisor: Account
    mentor: Account
    employee: Account


def demo_accounts(data_dir: Path) -> Demo:
    """The demo sign-ins `mentorship demo` wrote to the server's data folder."""
    from mentorship.demo.commands import DEMO_LOGINS_FILE, DEMO_PEOPLE

    passwords = json.loads((data_dir / DEMO_LOGINS_FILE).read_text(encoding="utf-8"))
    accounts = {}
    for person in DEMO_PEOPLE:
        key = person.email.partition("@")[0]
        accounts[key] = Account(person.email, passwords[person.email], person.name, person.roles)
    return Demo(**accounts)


# --- pages ---------------------------------------------------------------------------------


async def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form, as a person would; returns once the page the form
    leads to (home, or the form again with a message) has loaded."""
    if not page.url.split("?")[0].endswith("/login"):
        await page.goto("/login")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(password)
    # The next page may have the same address (a failure shows the form again), so wait for
    # the new document itself rather than a URL.
    async with page.expect_event("load"):
        await page.get_by_role("button", name="Sign in").click()


# Cookies of the sessions `sign_in_as` made, by account: later pages reuse them.
_shared_sessions: dict[tuple[str, str], list[Any]] = {}


async def sign_in_as(page: Page, account: Account) -> None:
    """Sign a fresh page in as an account that many tests share (the demo's), ending on home
    as `sign_in` does: through the form the first time, then by giving the page's context the
    cookies that sign-in got (Playwright's storage state), which saves the form's round
    trips. A session that no longer holds falls back to the form. Tests about signing in,
    and accounts a test signs out, changes or deactivates, use `sign_in`.
    """
    key = (account.email, account.password)
    cookies = _shared_sessions.get(key)
    if cookies is not None and page.url == "about:blank":
        await page.context.add_cookies(cookies)
        await page.goto("/")
        if not page.url.split("?")[0].endswith("/login"):
            return
    await sign_in(page, account.email, account.password)
    _shared_sessions[key] = (await page.context.storage_state())["cookies"]


def viewport_name(page: Page) -> str:
    """'desktop', 'phone' or WIDTHxHEIGHT: the page's viewport, for file names."""
    size = page.viewport_size or {"width": 0, "height": 0}
    for name, options in VIEWPORTS.items():
        if options["viewport"] == size:
            return name
    return f"{size['width']}x{size['height']}"


async def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save the page as <screenshots>/<name>.<viewport>.png and return the path."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
    path = screenshot_dir() / f"{safe}.{viewport_name(page)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=path, full_page=full_page, animations="disabled")
    return path


async def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits its viewport's width (no sideways scrolling), naming what sticks out.

    Compared with the viewport's set width, not only innerWidth: on a phone (is_mobile)
    Chromium widens the layout viewport to fit content that overflows, innerWidth with it.
    """
    width = (page.viewport_size or {"width": 0})["width"]
    found = await page.evaluate(
        """(width) => {
            const limit = Math.min(width, window.innerWidth);
            const wide = [];
            for (const element of document.body.querySelectorAll('*')) {
                const box = element.getBoundingClientRect();
                if (box.right > limit + 0.5 && wide.length < 10) {
                    const name = element.tagName.toLowerCase()
                        + (element.id ? '#' + element.id : '')
                        + [...element.classList].map(c => '.' + c).join('');
                    wide.push(`${name} (right edge ${Math.round(box.right)}px)`);
                }
            }
            return {scroll: document.documentElement.scrollWidth, limit, wide};
        }""",
        width,
    )
    assert found["scroll"] <= found["limit"], (
        f"{page.url} scrolls sideways at {found['limit']}px: it is {found['scroll']}px wide;"
        f" wider than the viewport: {', '.join(found['wide']) or '(nothing found)'}"
    )


_axe_source: str | None = None


async def axe(
    page: Page, *, include: str | None = None, options: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Scan the page as it is now with axe-core; fail listing every serious or critical
    violation (rule, impact, help, the elements' selectors). Returns every violation found.

    The page's Content-Security-Policy allows no inline script, so axe is evaluated through
    the DevTools protocol (Playwright's evaluate) rather than added as a <script> tag.
    """
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_PATH.read_text(encoding="utf-8")
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(_axe_source)
    violations: list[dict[str, Any]] = await page.evaluate(
        """async ([include, options]) => {
            const result = await axe.run(include || document, options);
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        [include, {"resultTypes": ["violations"], **(options or {})}],
    )
    serious = [v for v in violations if v["impact"] in SERIOUS_IMPACTS]
    if serious:
        lines = [f"axe-core: {len(serious)} serious or critical violation(s) on {page.url}"]
        for violation in serious:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                lines.append(f"    at {json.dumps(node['target'])}: {node['summary']}")
        pytest.fail("\n".join(lines))
    return violations
