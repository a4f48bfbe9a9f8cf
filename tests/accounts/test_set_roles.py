"""Setting an account's roles in one go: all of the change or none of it, each step audited."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.accounts import services
from mentorship.audit.tables import AuditEvent
from mentorship.lib.errors import Conflict
from tests.conftest import create_account


async def role_events(account_id: int) -> list[str]:
    rows = await AuditEvent.select(AuditEvent.action).where(
        (AuditEvent.object_type == "account") & (AuditEvent.object_id == str(account_id))
    )
    return [row["action"] for row in rows]


@pytest.mark.db
async def test_roles_are_granted_and_revoked_together_and_audited():
    admin = await create_account("ada@example.org", Role.ADMIN)
    person = await create_account("ben@example.org", Role.EMPLOYEE)
    change = await services.set_roles(person.id, {Role.SUPERVISOR, Role.COORDINATOR}, admin.id)
    assert change.granted == [Role.SUPERVISOR, Role.COORDINATOR]
    assert change.revoked == [Role.EMPLOYEE]
    assert set(change.account.roles) == {Role.SUPERVISOR, Role.COORDINATOR}
    assert sorted(await role_events(person.id)) == ["grant_role", "grant_role", "revoke_role"]
    same = await services.set_roles(person.id, {Role.SUPERVISOR, Role.COORDINATOR}, admin.id)
    assert same.granted == same.revoked == []


@pytest.mark.db
async def test_a_refused_revocation_undoes_the_grants_made_before_it():
    admin = await create_account("ada@example.org", Role.ADMIN)
    with pytest.raises(Conflict):
        # Taking the last admin's own role away is refused; the employee grant goes too.
        await services.set_roles(admin.id, {Role.EMPLOYEE}, admin.id)
    assert set((await services.get_account(admin.id)).roles) == {Role.ADMIN}
    assert await role_events(admin.id) == []
