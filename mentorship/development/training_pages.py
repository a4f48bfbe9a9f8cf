"""The training pages: my mentor training (records, what counts, a form to add one) and the
coordinator's training to verify, with removing a record entered by mistake. They keep their
addresses under /mentor and /pool, where people look for them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.development import training_records
from mentorship.development.messages import DEVELOPMENT
from mentorship.development.signals import pool_places
from mentorship.development.training_form import TRAINING_LABELS, record_training, training_errors
from mentorship.district import profiles
from mentorship.lib.errors import PermissionDenied
from mentorship.web.forms import Form, read_form
from mentorship.web.pages import AnyRequest, Banner, FormPage, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]
WAITING = "/pool/training"


async def _training_context(request: Me, form: Form | None) -> dict[str, Any]:
    account_id = request.user.account_id
    terms = (await agreement.in_force()).terms
    record = await training_records.development_record(account_id)
    standing = await training_records.my_standing(account_id)
    valid_days = terms.training_valid_days
    return {
        "records": [
            (r, training_records.counts_until(r.completed_on, valid_days)) for r in record.records
        ],
        "unverified_hours": record.unverified_hours,
        "standing": standing,
        "expires_soon": training_records.standing_expires_soon(standing),
        "valid_days": valid_days,
        "required_topics": [t.topic for t in terms.required_training.topics],
        "in_pool": account_id in await pool_places([account_id]),
        "today": training_records.today(),
    }


async def _verify_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    waiting = await training_records.unverified_training()
    people = {r.account_id for r in waiting}
    return {
        "waiting": waiting,
        "names": await profiles.names_of(people),
        "pool": await pool_places(people),
        "problem": "",
    }


TRAINING = FormPage(
    "development/training.html", _training_context, TRAINING_LABELS, words=training_errors
)
VERIFY = FormPage(
    "development/verify.html",
    _verify_context,
    refusals={PermissionDenied: Banner("problem", own_status=True)},
)


class MyTrainingPages(Controller):
    """A would-be or serving mentor's own training."""

    path = "/mentor/training"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE, Role.MENTOR))

    @get("/")
    async def training_page(self, request: Me) -> Template:
        """My mentor training: records, what counts, and a form to add one."""
        return await TRAINING.show(request)

    @form_post("/", TRAINING)
    async def add_training(self, request: Me) -> Response[Any]:
        """Record a training I finished (a coordinator checks it before it counts)."""
        topic = await record_training(await TRAINING.form(request), request.user, None)
        notice = DEVELOPMENT("notice.own_training_recorded", topic=topic)
        return redirect(request, "/mentor/training", notice)


class TrainingToVerifyPages(Controller):
    """The coordinator's training to verify, and removing a record entered by mistake."""

    path = WAITING
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    async def training(self, request: Me) -> Template:
        """Training people recorded themselves, waiting to be checked."""
        return await VERIFY.show(request)

    @form_post("/{record_id:int}/verify", VERIFY)
    async def verify(self, request: Me, record_id: FromPath[int]) -> Response[Any]:
        """Confirm a training record: from now on it counts."""
        back = _back(await VERIFY.form(request))
        record = await training_records.verify_training(record_id, request.user.account_id)
        name = (await profiles.names_of([record.account_id])).get(record.account_id, "")
        notice = DEVELOPMENT("notice.verified", name=name, topic=record.topic)
        return redirect(request, back, notice)

    @get("/{record_id:int}/remove")
    async def remove_confirm(
        self, record_id: FromPath[int], back: FromQuery[str | None] = None
    ) -> Template:
        """Ask before removing a training record entered by mistake."""
        record = await training_records.get_training(record_id)
        name = (await profiles.names_of([record.account_id])).get(record.account_id, "")
        return page(
            "development/remove_training.html",
            {"record": record, "name": name, "back": _safe_back(back)},
        )

    @post("/{record_id:int}/remove")
    async def remove(self, request: Me, record_id: FromPath[int]) -> Response[Any]:
        """Delete a training record entered by mistake."""
        form = await read_form(request)
        record = await training_records.get_training(record_id)
        await training_records.remove_training(record_id)
        notice = DEVELOPMENT("notice.training_removed", topic=record.topic)
        return redirect(request, _back(form), notice)


def _safe_back(target: str | None) -> str:
    """Where to return after an action: one of the pool's own pages only."""
    if target and target.startswith("/pool/") and "//" not in target and "\\" not in target:
        return target
    return WAITING


def _back(form: Form) -> str:
    return _safe_back(form.get("back"))
