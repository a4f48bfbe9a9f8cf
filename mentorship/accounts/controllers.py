"""Admin API for accounts: create, list, change, roles, passwords, deactivation."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.accounts import services
from mentorship.accounts.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    AccountUpdate,
    PasswordSet,
)

Me = Request[Principal, Any, Any]


class AccountController(Controller):
    """Accounts and roles, for district IT (admin role)."""

    path = "/accounts"
    tags = ["accounts"]
    opt = access(roles(Role.ADMIN))

    @get("/", operation_id="listAccounts", summary="List accounts")
    async def list_accounts(
        self,
        search: Annotated[str | None, QueryParameter(max_length=200)] = None,
        role: FromQuery[Role | None] = None,
        active: FromQuery[bool | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> AccountPage:
        """Accounts matching a name/email search, a role and an active flag."""
        return await services.list_accounts(
            search=search, role=role, active=active, limit=limit, offset=offset
        )

    @post("/", operation_id="createAccount", summary="Create an account")
    async def create_account(self, data: JSONBody[AccountCreate]) -> AccountRead:
        """Create an account with roles and, optionally, a first password."""
        return await services.create_account(data)

    @get("/{account_id:int}", operation_id="getAccount", summary="Show an account")
    async def get_account(self, account_id: FromPath[int]) -> AccountRead:
        """One account."""
        return await services.get_account(account_id)

    @patch("/{account_id:int}", operation_id="updateAccount", summary="Change name or email")
    async def update_account(
        self, account_id: FromPath[int], data: JSONBody[AccountUpdate]
    ) -> AccountRead:
        """Change the display name or email address."""
        return await services.update_account(account_id, data)

    @put("/{account_id:int}/roles/{role:str}", operation_id="grantRole", summary="Grant a role")
    async def grant_role(
        self, request: Me, account_id: FromPath[int], role: FromPath[Role]
    ) -> AccountRead:
        """Give the account a role (no change if it already has it)."""
        return await services.grant_role(account_id, role, request.user.account_id)

    @delete(
        "/{account_id:int}/roles/{role:str}",
        operation_id="revokeRole",
        status_code=200,
        summary="Revoke a role",
    )
    async def revoke_role(
        self, request: Me, account_id: FromPath[int], role: FromPath[Role]
    ) -> AccountRead:
        """Take a role away (refused for the last active admin)."""
        return await services.revoke_role(account_id, role, request.user.account_id)

    @put(
        "/{account_id:int}/password",
        operation_id="setPassword",
        status_code=204,
        summary="Set a new password",
    )
    async def set_password(self, account_id: FromPath[int], data: JSONBody[PasswordSet]) -> None:
        """Set the account's password; its sessions end."""
        await services.set_password(account_id, data.password)

    @post(
        "/{account_id:int}/deactivate",
        operation_id="deactivateAccount",
        status_code=200,
        summary="Deactivate an account",
    )
    async def deactivate(self, request: Me, account_id: FromPath[int]) -> AccountRead:
        """Stop the account signing in; its sessions end at once."""
        return await services.deactivate(account_id, request.user.account_id)

    @post(
        "/{account_id:int}/reactivate",
        operation_id="reactivateAccount",
        status_code=200,
        summary="Reactivate an account",
    )
    async def reactivate(self, request: Me, account_id: FromPath[int]) -> AccountRead:
        """Let a deactivated account sign in again."""
        return await services.reactivate(account_id, request.user.account_id)
