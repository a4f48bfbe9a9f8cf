"""Account rules: creation, profile, roles, passwords and deactivation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mentorship.access.roles import Role
from mentorship.accounts.emails import email_key, is_email
from mentorship.accounts.messages import ACCOUNTS
from mentorship.accounts.passwords import get_hashing, password_refusals
from mentorship.accounts.schemas import AccountCreate, AccountPage, AccountRead, AccountUpdate
from mentorship.accounts.signals import AccountEvent, account_deactivated, sessions_revoked
from mentorship.accounts.tables import Account, AccountRole
from mentorship.audit import services as audit
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed

_READ_COLUMNS = (
    Account.id,
    Account.email,
    Account.display_name,
    Account.password_hash,
    Account.active,
    Account.created_at,
    Account.last_login_at,
    Account.deactivated_at,
)


def clean_email(email: str, field: str = "email") -> str:
    """The address trimmed, or ValidationFailed naming the field when it is not an address."""
    value = email.strip()
    if not is_email(value):
        raise ValidationFailed({field: ACCOUNTS("not_email")})
    return value


def _clean_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise ValidationFailed({"display_name": ACCOUNTS("blank")})
    return value


async def create_account(data: AccountCreate) -> AccountRead:
    """Create an account with its roles in one transaction."""
    email = clean_email(data.email)
    name = _clean_name(data.display_name)
    password_hash = None
    if data.password is not None:
        problems = password_refusals(data.password, email=email, display_name=name)
        if problems:
            raise ValidationFailed({"password": problems[0]})
        password_hash = await get_hashing().hash(data.password)
    async with db.transaction():
        if await Account.exists().where(Account.email_key == email_key(email)):
            raise Conflict(ACCOUNTS("email_taken", email=email))
        rows = await Account.insert(
            Account(
                email=email,
                email_key=email_key(email),
                display_name=name,
                password_hash=password_hash,
                active=True,
                created_at=clock.now(),
            )
        ).returning(Account.id)
        account_id = rows[0]["id"]
        roles = sorted(set(data.roles))
        if roles:
            await AccountRole.insert(
                *(
                    AccountRole(account=account_id, role=r.value, granted_at=clock.now())
                    for r in roles
                )
            )
    return await get_account(account_id)


async def get_account(account_id: int) -> AccountRead:
    """One account, or NotFound."""
    row = await Account.select(*_READ_COLUMNS).where(Account.id == account_id).first()
    if row is None:
        raise NotFound(ACCOUNTS("no_account", account_id=account_id))
    roles = await _roles_by_account([account_id])
    return _to_read(row, roles.get(account_id, []))


async def find_by_email(email: str) -> AccountRead | None:
    """The account signing in with `email` (any case), or None."""
    row = await Account.select(Account.id).where(Account.email_key == email_key(email)).first()
    return None if row is None else await get_account(row["id"])


async def list_accounts(
    *,
    search: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> AccountPage:
    """Accounts matching the filters, ordered by name."""
    conditions: list[Any] = []
    if search:
        text = search.strip()
        conditions.append(
            db.contains_text(Account.email_key, text.casefold())
            | db.contains_text(Account.display_name, text)
        )
    if active is not None:
        conditions.append(Account.active == active)
    if role is not None:
        holders = await AccountRole.select(AccountRole.account).where(
            AccountRole.role == role.value
        )
        conditions.append(Account.id.is_in([h["account"] for h in holders] or [-1]))
    query = Account.select(*_READ_COLUMNS).order_by(Account.display_name).order_by(Account.id)
    count = Account.count()
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    roles = await _roles_by_account([r["id"] for r in rows])
    return AccountPage(
        items=[_to_read(r, roles.get(r["id"], [])) for r in rows],
        total=await count,
        limit=limit,
        offset=offset,
    )


async def update_account(account_id: int, data: AccountUpdate) -> AccountRead:
    """Change display name or email address."""
    changes: dict[Any, Any] = {}
    if data.display_name is not None:
        changes[Account.display_name] = _clean_name(data.display_name)
    if data.email is not None:
        email = clean_email(data.email)
        changes[Account.email] = email
        changes[Account.email_key] = email_key(email)
    async with db.transaction():
        await _require(account_id)
        if Account.email_key in changes:
            clash = await Account.exists().where(
                (Account.email_key == changes[Account.email_key]) & (Account.id != account_id)
            )
            if clash:
                raise Conflict(ACCOUNTS("email_taken", email=changes[Account.email]))
        if changes:
            await Account.update(changes).where(Account.id == account_id)
    return await get_account(account_id)


async def set_password(account_id: int, password: str) -> None:
    """Set a new password and end every session of the account."""
    account = await _require(account_id)
    problems = password_refusals(
        password, email=account["email"], display_name=account["display_name"]
    )
    if problems:
        raise ValidationFailed({"password": problems[0]})
    new_hash = await get_hashing().hash(password)
    async with db.transaction():
        await Account.update({Account.password_hash: new_hash}).where(Account.id == account_id)
        await sessions_revoked.send(AccountEvent(account_id))


async def record_account_change(
    account_id: int,
    action: str,
    actor_id: int | None,
    *,
    actor_role: str = "admin",
    purpose: str = "",
    role: Role | None = None,
) -> None:
    """Audit a change to who someone is in the system (roles, sign-in), in the caller's
    transaction. A missing actor is the operator at the command line."""
    await audit.record(
        action=action,
        object_type="account",
        object_id=account_id,
        actor_id=actor_id,
        actor_role=actor_role if actor_id is not None else "operator",
        purpose=purpose,
        details={} if role is None else {"role": role.value},
    )


async def grant_role(account_id: int, role: Role, actor_id: int | None = None) -> AccountRead:
    """Give an account a role; granting one it holds already changes nothing."""
    async with db.transaction():
        await _require(account_id)
        held = await AccountRole.exists().where(
            (AccountRole.account == account_id) & (AccountRole.role == role.value)
        )
        if not held:
            await AccountRole.insert(
                AccountRole(account=account_id, role=role.value, granted_at=clock.now())
            )
            await record_account_change(
                account_id, "grant_role", actor_id, role=role, purpose="grant a role"
            )
    return await get_account(account_id)


async def revoke_role(account_id: int, role: Role, actor_id: int | None = None) -> AccountRead:
    """Take a role away; refused when it would leave no active admin."""
    async with db.transaction():
        account = await _require(account_id)
        if role is Role.ADMIN and account["active"]:
            await _refuse_if_last_admin(account_id, "remove_admin")
        held = await AccountRole.exists().where(
            (AccountRole.account == account_id) & (AccountRole.role == role.value)
        )
        if held:
            await AccountRole.delete().where(
                (AccountRole.account == account_id) & (AccountRole.role == role.value)
            )
            await record_account_change(
                account_id, "revoke_role", actor_id, role=role, purpose="revoke a role"
            )
    return await get_account(account_id)


@dataclass(frozen=True)
class RoleChange:
    """What `set_roles` changed, and the account as it is now."""

    account: AccountRead
    granted: list[Role]
    revoked: list[Role]


async def set_roles(
    account_id: int, wanted: Iterable[Role], actor_id: int | None = None
) -> RoleChange:
    """Give the account exactly the `wanted` roles, all or nothing: grants and revocations
    happen in one transaction (each audited), so a refused revocation undoes the grants."""
    wanted = set(wanted)
    async with db.transaction():
        held = set((await get_account(account_id)).roles)
        granted = [role for role in Role if role in wanted - held]
        revoked = [role for role in Role if role in held - wanted]
        for role in granted:
            await grant_role(account_id, role, actor_id)
        for role in revoked:
            await revoke_role(account_id, role, actor_id)
    return RoleChange(await get_account(account_id), granted, revoked)


async def deactivate(account_id: int, actor_id: int | None = None) -> AccountRead:
    """Stop an account signing in and end its sessions at once."""
    async with db.transaction():
        account = await _require(account_id)
        if account["active"]:
            roles = await _roles_by_account([account_id])
            if Role.ADMIN in roles.get(account_id, []):
                await _refuse_if_last_admin(account_id, "deactivate")
            await Account.update(
                {Account.active: False, Account.deactivated_at: clock.now()}
            ).where(Account.id == account_id)
            await account_deactivated.send(AccountEvent(account_id))
            await record_account_change(
                account_id, "deactivate", actor_id, purpose="deactivate an account"
            )
        await sessions_revoked.send(AccountEvent(account_id))
    return await get_account(account_id)


async def reactivate(account_id: int, actor_id: int | None = None) -> AccountRead:
    """Let a deactivated account sign in again."""
    async with db.transaction():
        account = await _require(account_id)
        await Account.update({Account.active: True, Account.deactivated_at: None}).where(
            Account.id == account_id
        )
        if not account["active"]:
            await record_account_change(
                account_id, "reactivate", actor_id, purpose="reactivate an account"
            )
    return await get_account(account_id)


async def _require(account_id: int) -> dict[str, Any]:
    row = await Account.select(*_READ_COLUMNS).where(Account.id == account_id).first()
    if row is None:
        raise NotFound(ACCOUNTS("no_account", account_id=account_id))
    return row


async def _refuse_if_last_admin(account_id: int, doing: str) -> None:
    # Two admins demoting each other at the same moment could each see the other as the
    # remaining admin; locking every admin grant first makes the second wait and re-check.
    await db.for_update(
        AccountRole.select(AccountRole.id).where(AccountRole.role == Role.ADMIN.value)
    )
    admins = await AccountRole.select(AccountRole.account).where(
        (AccountRole.role == Role.ADMIN.value)
        & (AccountRole.account != account_id)
        & (AccountRole.account.active == True)  # noqa: E712 (Piccolo builds SQL from ==)
    )
    if not admins:
        raise Conflict(ACCOUNTS("last_admin", doing=ACCOUNTS(f"doing.{doing}")))


async def lock_account(account_id: int) -> None:
    """Hold the account's row until the transaction ends, so every change concerning one
    person queues up in one order (a row lock on PostgreSQL; SQLite's IMMEDIATE transaction
    already holds the whole database)."""
    await db.for_update(Account.select(Account.id).where(Account.id == account_id))


async def _roles_by_account(account_ids: Iterable[int]) -> dict[int, list[Role]]:
    ids = list(account_ids)
    if not ids:
        return {}
    rows = await AccountRole.select(AccountRole.account, AccountRole.role).where(
        AccountRole.account.is_in(ids)
    )
    roles: dict[int, list[Role]] = {}
    for row in rows:
        roles.setdefault(row["account"], []).append(Role(row["role"]))
    return {k: sorted(v, key=list(Role).index) for k, v in roles.items()}


def _to_read(row: dict[str, Any], roles: list[Role]) -> AccountRead:
    return AccountRead(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        roles=roles,
        active=row["active"],
        has_password=row["password_hash"] is not None,
        created_at=row["created_at"],
        last_login_at=row["last_login_at"],
        deactivated_at=row["deactivated_at"],
    )


async def display_name(account_id: int) -> str:
    """An account's name, or "" when there is no such account (the audit log copies it)."""
    row = await Account.select(Account.display_name).where(Account.id == account_id).first()
    return row["display_name"] if row else ""
