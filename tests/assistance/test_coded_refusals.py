"""The requests' refusals are coded messages from their catalogue; the API words them as
before."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.assistance import services
from mentorship.assistance.schemas import NeededSkill, ReferralCreate
from mentorship.lib.errors import Conflict, PermissionDenied
from mentorship.lib.messages import Message
from mentorship.web.render import FLASH_COOKIE
from tests.assistance.conftest import REFERRALS, REQUESTS, request_body, skill_ids
from tests.web.test_coded_messages import notice_in


async def test_a_second_withdrawal_is_refused_with_a_code_and_the_same_words(person):
    ana = await person("ana@example.org")
    skills = await skill_ids(ana.client)
    filed = (await ana.client.post(REQUESTS, json=request_body(skills[:1]))).json()
    assert (await ana.client.post(f"{REQUESTS}/{filed['id']}/withdraw")).status_code == 200

    with pytest.raises(Conflict) as refused:
        await services.withdraw(filed["id"], ana.id, frozenset({Role.EMPLOYEE}))
    assert refused.value.reason == Message("assistance.not_withdrawable", {"state": "withdrawn"})

    response = await ana.client.post(f"{REQUESTS}/{filed['id']}/withdraw")
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == "this request can no longer be withdrawn (it is withdrawn)"


async def test_a_referral_outside_the_chain_is_refused_with_a_code_and_the_same_words(person):
    boss = await person("boss@example.org", Role.SUPERVISOR)
    zed = await person("zed@example.org", Role.EMPLOYEE)
    skills = await skill_ids(boss.client)
    body = request_body(skills[:1], employee_id=zed.id)

    with pytest.raises(PermissionDenied) as refused:
        await services.file_referral(
            boss.id,
            ReferralCreate(
                employee_id=zed.id,
                needed_skills=[NeededSkill(skill_id=skills[0], priority=2)],
                description=body["description"],
            ),
        )
    assert refused.value.reason == Message("assistance.outside_chain")

    response = await boss.client.post(REFERRALS, json=body)
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == "you can refer only people in your own supervision chain"


async def test_a_refusal_sent_back_to_its_page_travels_as_a_code_and_is_worded_there(person):
    ana = await person("ana@example.org")
    skills = await skill_ids(ana.client)
    filed = (await ana.client.post(REQUESTS, json=request_body(skills[:1]))).json()
    assert (await ana.client.post(f"{REQUESTS}/{filed['id']}/withdraw")).status_code == 200

    response = await ana.client.post(f"/requests/{filed['id']}/withdraw", follow_redirects=False)
    assert response.status_code == 303
    assert notice_in(response.cookies[FLASH_COOKIE]) == {
        "code": "web.refused",
        "params": {
            "reason": {"code": "assistance.not_withdrawable", "params": {"state": "withdrawn"}}
        },
    }
    shown = await ana.client.get(response.headers["location"])
    assert "This request can no longer be withdrawn (it is withdrawn)." in shown.text


async def test_the_home_page_words_what_waits_from_codes(person):
    ana, ben = await person("ana@example.org"), await person("ben@example.org")
    coordinator = await person("coord@example.org", Role.COORDINATOR)
    skills = await skill_ids(ana.client)
    urgent = request_body(skills[:1], urgency="urgent")
    assert (await ana.client.post(REQUESTS, json=urgent)).status_code == 201
    assert (await ben.client.post(REQUESTS, json=request_body(skills[:1]))).status_code == 201

    assert "1 request is waiting for a mentor." in (await ana.client.get("/")).text
    home = (await coordinator.client.get("/")).text
    assert "2 requests wait for matching, 1 of them urgent." in home
