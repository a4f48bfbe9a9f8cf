"""The `mentorship` operator command: migrating and serving here, and every domain's own
commands (accounts, matching, audit, keys and retention, roster, demo) mounted from the list of
domains."""

from __future__ import annotations

import os
import sys
import warnings
from typing import NoReturn

import click

from mentorship.config import ConfigError
from mentorship.domains import DOMAINS, compose
from mentorship.lib.commands import (
    OperatorError,
    apply_migrations,
    require_up_to_date,
    run,
    settings_or_exit,
)
from mentorship.lib.errors import DomainError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentorship", prog_name="mentorship")
def cli() -> None:
    """Run and operate the peer-assistance program service."""
    compose()


for _domain in DOMAINS:
    for _command in _domain.commands:
        cli.add_command(_command)


# --- database -------------------------------------------------------------------------------


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    settings = settings_or_exit()
    applied = run(apply_migrations)
    where = settings.database.display
    if applied:
        click.echo(f"Applied {applied} migration(s) to {where}.")
    else:
        click.echo(f"{where} is up to date.")


# --- serving --------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (sessions live in the database, so any worker serves anyone).",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web pages and the JSON API."""
    import uvicorn

    settings = settings_or_exit()
    run(require_up_to_date)
    click.echo(f"Serving on http://{host}:{port}/ (API docs: /api/schema/openapi.json)")
    click.echo(f"Database: {settings.database.display}")
    uvicorn.run(
        "mentorship.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("MENTORSHIP_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        access_log=False,  # mentorship.access logs each request without query strings
        server_header=False,
        log_level=settings.log_level.lower(),
    )


# --- entry point ----------------------------------------------------------------------------


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on standard error and exit non-zero."""
    click.echo(f"mentorship: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: every failure becomes one line and a non-zero exit."""
    # Piccolo warns (in colour, with a source line) when it cannot reach the database; the
    # one-line error below already says so.
    warnings.filterwarnings("ignore", message=".*Unable to (connect|fetch)", category=Warning)
    try:
        cli.main(args=argv, prog_name="mentorship", standalone_mode=False)
    except click.exceptions.Abort:
        fail("aborted")
    except click.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        command = "" if ctx is None or ctx.parent is None else f" {ctx.info_name}"
        hint = f" (see `mentorship{command} --help`)" if ctx is not None else ""
        fail(exc.format_message().replace("\n", " ") + hint, exc.exit_code)
    except (OperatorError, ConfigError) as exc:
        fail(str(exc))
    except DomainError as exc:
        fail(exc.message)
    except OSError as exc:
        # Connection refused, unknown host, unreadable file: the operator can act on these.
        if exc.filename:
            fail(f"{exc.strerror or exc}: {exc.filename}")
        fail(f"cannot connect: {exc.strerror or exc}")
    except Exception as exc:  # the last resort: still one line, never a traceback
        source = "database error" if type(exc).__module__.startswith("asyncpg") else "unexpected"
        fail(f"{source}: {exc}".replace("\n", " "))
