"""The `mentorship` command: each command, and bad arguments giving one line and an exit code."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account, AccountRole
from mentorship.cli import main
from mentorship.demo.commands import DEMO_PEOPLE
from tests.conftest import create_account

PASSWORD = "correct horse battery staple"


def run_cli(capsys, monkeypatch, *args: str, stdin: str | None = None) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """Run the command in-process the way the console script does."""
    if stdin is not None:
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    result: dict[str, int] = {"code": 0}

    def invoke() -> None:
        try:
            main(list(args))
        except SystemExit as exit_:
            result["code"] = int(exit_.code or 0)

    # In a thread of its own: the command runs its own event loop, which cannot nest in the
    # test's running one.
    thread = threading.Thread(target=invoke)
    thread.start()
    thread.join()
    code = result["code"]
    out, err = capsys.readouterr()
    return code, out, err


def run_process(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the command as a separate process, as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "mentorship", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def assert_one_line_error(code: int, err: str, expected_code: int, words: str) -> None:
    assert code == expected_code, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("mentorship: error: ")
    assert words in lines[0]


@pytest.mark.db
def test_migrate_reports_an_up_to_date_database(capsys, monkeypatch):
    code, out, _ = run_cli(capsys, monkeypatch, "migrate")
    assert code == 0
    assert "is up to date" in out


def test_migrate_builds_an_empty_sqlite_database_then_is_idempotent(tmp_path):
    env = {"MENTORSHIP_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"}
    first = run_process("migrate", env=env)
    assert first.returncode == 0, first.stderr
    package = Path(__file__).parents[1] / "mentorship"
    committed = list(package.glob("*/piccolo_migrations/*_20*.py"))
    assert f"Applied {len(committed)} migration(s)" in first.stdout
    second = run_process("migrate", env=env)
    assert second.returncode == 0
    assert "is up to date" in second.stdout


@pytest.mark.db
async def test_create_user_reads_the_password_from_stdin(capsys, monkeypatch):
    code, out, err = run_cli(
        capsys,
        monkeypatch,
        "create-user",
        "--email",
        "Ana@Example.org",
        "--name",
        "Ana Lopez",
        "--role",
        "coordinator",
        "--role",
        "employee",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, err
    assert "Created account" in out and "coordinator" in out
    row = (
        await Account.select(Account.display_name, Account.password_hash)
        .where(Account.email_key == "ana@example.org")
        .first()
    )
    assert row["display_name"] == "Ana Lopez"
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in out + err


@pytest.mark.db
async def test_create_user_refusals_are_one_line(capsys, monkeypatch):
    await create_account("taken@example.org")
    cases = [
        (["--email", "taken@example.org", "--password-stdin"], PASSWORD, 1, "already exists"),
        (["--email", "new@example.org", "--password-stdin"], "short\n", 1, "at least 12"),
        (["--email", "not-an-email", "--password-stdin"], PASSWORD, 1, "not an email"),
        (
            ["--email", "new@example.org", "--role", "wizard", "--password-stdin"],
            PASSWORD,
            2,
            "--role",
        ),
        (["--password-stdin"], PASSWORD, 2, "--email"),
        (["--email", "new@example.org", "--password-stdin"], "", 1, "no password"),
        (["--email", "new@example.org"], "", 1, "--password-stdin"),  # stdin is not a terminal
    ]
    for args, stdin, expected, words in cases:
        code, _, err = run_cli(capsys, monkeypatch, "create-user", *args, stdin=stdin)
        assert_one_line_error(code, err, expected, words)
    assert await Account.count() == 1


def test_unknown_commands_and_options_are_one_line(capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "frobnicate")
    assert_one_line_error(code, err, 2, "No such command")
    code, _, err = run_cli(capsys, monkeypatch, "serve", "--port", "99999")
    assert_one_line_error(code, err, 2, "--port")
    code, _, err = run_cli(capsys, monkeypatch, "serve", "--workers", "0")
    assert_one_line_error(code, err, 2, "--workers")


def test_bad_configuration_is_one_line(tmp_path):
    result = run_process("migrate", env={"MENTORSHIP_DATABASE_URL": "mysql://db/app"})
    assert_one_line_error(result.returncode, result.stderr, 1, "not supported")
    result = run_process("demo", env={"MENTORSHIP_ENV": "production"})
    assert_one_line_error(result.returncode, result.stderr, 1, "production")


@pytest.mark.db
async def test_demo_creates_one_account_per_role_and_is_idempotent(capsys, monkeypatch, settings):
    code, out, err = run_cli(capsys, monkeypatch, "demo")
    assert code == 0, err
    for person in DEMO_PEOPLE:
        assert person.email in out
    assert "Built the demo district: 41 sites" in out
    accounts = await Account.count()
    assert accounts > 500
    held = {Role(r["role"]) for r in await AccountRole.select(AccountRole.role)}
    assert held == set(Role)
    logins = json.loads((settings.data_dir / "demo-logins.json").read_text())
    code, again, _ = run_cli(capsys, monkeypatch, "demo")
    assert code == 0
    assert "already there; nothing was added" in again
    assert await Account.count() == accounts
    assert json.loads((settings.data_dir / "demo-logins.json").read_text()) == logins
    for email, password in logins.items():
        assert f"{email}" in again and password in again


async def test_demo_passwords_sign_in(capsys, monkeypatch, make_client):
    run_cli(capsys, monkeypatch, "demo")
    logins = json.loads((Path(os.environ["MENTORSHIP_DATA_DIR"]) / "demo-logins.json").read_text())
    async with make_client() as client:
        for email, password in logins.items():
            response = await client.post(
                "/api/v1/auth/login", json={"email": email, "password": password}
            )
            assert response.status_code == 200, email


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.db
def test_serve_answers_health_checks():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mentorship", "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert status == 200
        page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert page.status_code == 200 and "Sign in" in page.text
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Serving on http://127.0.0.1:" in output


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = run_process(
        "serve",
        "--port",
        str(free_port()),
        env={"MENTORSHIP_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}"},
    )
    assert_one_line_error(result.returncode, result.stderr, 1, "mentorship migrate")


@pytest.mark.parametrize("command", ["migrate", "create-user", "serve", "demo"])
def test_every_command_has_help(capsys, monkeypatch, command):
    code, out, _ = run_cli(capsys, monkeypatch, command, "--help")
    assert code == 0
    assert "Usage: mentorship" in out


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://postgres@127.0.0.1:1/mentorship", "cannot connect"),
        ("sqlite:////proc/no-such-dir/app.sqlite", "No such file or directory"),
    ],
)
def test_an_unreachable_database_is_one_line(url, words):
    result = run_process("migrate", env={"MENTORSHIP_DATABASE_URL": url})
    assert_one_line_error(result.returncode, result.stderr, 1, words)


def _read_until(fd: int, marker: str, timeout: float = 60) -> str:
    """Read a pseudo-terminal until the marker shows (or the process ends)."""
    import select

    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk.decode(errors="replace")
    return seen


def _run_in_terminal(args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, typing each answer when its prompt shows."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pseudo-terminal
        try:
            os.execv(sys.executable, [sys.executable, "-m", "mentorship", *args])  # noqa: S606
        finally:
            os._exit(127)  # never fall back into the test runner
    transcript = ""
    for prompt, answer in answers:
        transcript += _read_until(fd, prompt)
        os.write(fd, f"{answer}\n".encode())
    transcript += _read_until(fd, "\n\n", timeout=30)  # the rest, until the child exits
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), transcript


@pytest.mark.db
async def test_create_user_asks_for_the_password_in_a_terminal():
    code, transcript = await asyncio.to_thread(
        _run_in_terminal,
        ["create-user", "--email", "tty@example.org"],
        [("Password:", PASSWORD), ("Repeat", PASSWORD)],
    )
    assert code == 0, transcript
    assert "Created account" in transcript
    assert PASSWORD not in transcript  # typed without echo
    assert await Account.exists().where(Account.email_key == "tty@example.org")
