"""The one-time notice's cookie: a coded message, signed, small, and read back only when it is
ours and its code is known."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace
from typing import Any

from mentorship.lib.messages import Message
from mentorship.web import render
from mentorship.web.render import FLASH_COOKIE, read_notice, take_notice


def request_with(cookie: str | None = None) -> Any:
    settings = SimpleNamespace(secret_key="a secret for the test", cookie_secure=False)
    cookies = {FLASH_COOKIE: cookie} if cookie is not None else {}
    return SimpleNamespace(
        cookies=cookies, app=SimpleNamespace(state=SimpleNamespace(settings=settings))
    )


def cookie_for(message: Message) -> str:
    return render._notice_cookie(request_with(), message).value or ""


def signed(data: Any) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    return f"{encoded}.{render._sign(request_with(), encoded)}"


def test_a_notice_goes_there_and_back_as_its_code():
    notice = Message("district.notice.site_closed", {"site": "North High"})
    value = cookie_for(notice)
    assert "is closed" not in base64.urlsafe_b64decode(value.rsplit(".", 1)[0]).decode()
    assert read_notice(request_with(value)) == notice
    assert take_notice(request_with(value)) == "North High is closed."


def test_a_long_name_is_cut_so_the_cookie_stays_small():
    value = cookie_for(Message("district.notice.site_closed", {"site": "N" * 5000}))
    assert len(value) < 400
    assert take_notice(request_with(value)) == "N" * 120 + " is closed."


def test_a_cookie_not_signed_by_us_or_not_a_known_code_is_not_shown():
    known = {"code": "district.notice.skill_saved", "params": {}}
    forged = signed(known).rsplit(".", 1)[0] + "." + "0" * 32
    assert take_notice(request_with(forged)) is None
    assert take_notice(request_with(signed(known))) == "The skill was saved."
    assert take_notice(request_with(signed({"code": "district.nothing_like_it"}))) is None
    assert take_notice(request_with(signed(["not", "a", "message"]))) is None
    assert take_notice(request_with("no-signature")) is None
    assert take_notice(request_with()) is None
