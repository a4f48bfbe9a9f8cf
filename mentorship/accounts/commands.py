"""`mentorship create-user`: an account from the command line (the first admin, say)."""

from __future__ import annotations

import sys

import click

from mentorship.access.roles import Role
from mentorship.accounts import services
from mentorship.accounts.schemas import AccountCreate, AccountRead
from mentorship.lib.commands import OperatorError, run_on_database, settings_or_exit


def read_password(password_stdin: bool) -> str:
    """The password from standard input, or asked for twice in a terminal."""
    if password_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise OperatorError("no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise OperatorError(
            "no password given: pipe it in with --password-stdin, or run in a terminal to be asked"
        )
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.command("create-user")
@click.option("--email", required=True, help="Sign-in address (unique, any case).")
@click.option("--name", "display_name", help="Name shown to others [default: from the email].")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="A role to grant; repeat for several [default: employee].",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(
    email: str, display_name: str | None, roles: tuple[str, ...], password_stdin: bool
) -> None:
    """Create an account (asks for the password when run in a terminal)."""
    settings_or_exit()
    data = AccountCreate(
        email=email,
        display_name=display_name or email.partition("@")[0],
        roles=[Role(r) for r in roles] or [Role.EMPLOYEE],
        password=read_password(password_stdin),
    )

    async def create() -> AccountRead:
        return await services.create_account(data)

    account = run_on_database(create)
    click.echo(
        f"Created account {account.id} for {account.email}"
        f" with roles: {', '.join(r.value for r in account.roles)}."
    )


async def account_by_email(email: str) -> AccountRead:
    """The account with this sign-in address, or an operator error saying there is none."""
    account = await services.find_by_email(email)
    if account is None:
        raise OperatorError(f"no account with email {email}")
    return account


async def coordinator_id(email: str | None) -> int | None:
    """The account of the coordinator a run is recorded under (None: the operator)."""
    if email is None:
        return None
    account = await account_by_email(email)
    if not account.active:
        raise OperatorError(f"{email} is deactivated")
    if Role.COORDINATOR not in account.roles:
        raise OperatorError(f"{email} is not a program coordinator")
    return account.id


COMMANDS = [create_user]
