"""Admin pages for accounts and roles: the searchable list, a new account, and one person's
page (name and email, roles, sign-in status, password, and where they work). They live in the
district domain because a person's page shows their account beside their district profile."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.accounts import services
from mentorship.accounts.messages import ACCOUNTS
from mentorship.accounts.schemas import AccountCreate, AccountUpdate
from mentorship.district import job_roles_and_skills, profiles
from mentorship.district import sites as district_sites
from mentorship.district.messages import DISTRICT
from mentorship.district.schemas import ProfileUpdate
from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.web.forms import Form, convert, field_sentence
from mentorship.web.pages import AnyRequest, At, FormPage, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

PAGE_SIZE = 25

LABELS = {
    "email": "Email address",
    "display_name": "Full name",
    "password": "Password",
    "roles": "Roles",
    "site_id": "Site",
    "job_role_id": "Job role",
    "supervisor_id": "Supervisor",
    "languages": "Languages",
}

ROLE_HINTS = {
    Role.EMPLOYEE: "Can ask for help and follow their own requests and case.",
    Role.SUPERVISOR: "Can refer people they supervise and see the status of those referrals.",
    Role.MENTOR: "Can apply to the mentor pool and work with the colleagues assigned to them.",
    Role.COORDINATOR: "Runs the program: requests, matching, cases, the mentor pool, reports.",
    Role.ADMIN: "Manages accounts, sites, job roles, skills and the agreement.",
}

_ROLE_VALUES = frozenset(role.value for role in Role)

DUPLICATE_EMAIL = "Another account already uses this email address."


def role_options() -> list[tuple[str, str, str]]:
    """Each role's value, name and what it lets the person do."""
    return [(role.value, role.label, ROLE_HINTS[role]) for role in Role]


def _new_account(form: Form) -> dict[str, Any]:
    return {
        "email": form.get("email"),
        "display_name": form.get("display_name"),
        "roles": form.getall("roles"),
        "password": form.optional("password"),
    }


def _details(form: Form) -> dict[str, Any]:
    return {"display_name": form.get("display_name"), "email": form.get("email")}


def _wanted_roles(form: Form) -> set[Role]:
    return {Role(value) for value in form.getall("roles") if value in _ROLE_VALUES}


def _roles_notice(change: Any) -> Message:
    name, granted, revoked = change.account.display_name, change.granted, change.revoked
    given = _and(role.label.lower() for role in granted)
    taken = _and(role.label.lower() for role in revoked)
    if granted and revoked:
        return ACCOUNTS("notice.roles_changed", name=name, granted=given, revoked=taken)
    if granted:
        return ACCOUNTS("notice.roles_given", name=name, granted=given)
    if revoked:
        return ACCOUNTS("notice.roles_taken", name=name, revoked=taken)
    return ACCOUNTS("notice.roles_unchanged")


def _new_password(form: Form) -> str:
    password = form.values.get("new_password", "")
    if not password:
        raise ValidationFailed({"password": DISTRICT("enter_password")})
    return password


async def _profile_changes(account_id: int, form: Form) -> dict[str, Any]:
    """What the profile form changes, each number checked (all mistakes at once)."""
    errors: dict[str, Message] = {}
    site_id = form.integer("site_id", errors, LABELS["site_id"])
    job_role_id = form.integer("job_role_id", errors, LABELS["job_role_id"])
    supervisor_id = form.integer("supervisor_id", errors, LABELS["supervisor_id"])
    languages = [part.strip() for part in form.get("languages").split(",") if part.strip()]
    if errors:
        raise ValidationFailed(errors)
    profile = await profiles.get_profile(account_id)
    changes: dict[str, Any] = {}
    if site_id != (profile.site.id if profile.site else None):
        changes["site_id"] = site_id
    if job_role_id != (profile.job_role.id if profile.job_role else None):
        changes["job_role_id"] = job_role_id
    if supervisor_id != (profile.supervisor.id if profile.supervisor else None):
        changes["supervisor_id"] = supervisor_id
    if languages != profile.languages:
        changes["languages"] = languages
    return changes


async def _new_account_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    chosen = form.getall("roles") if form is not None else ["employee"]
    return {"role_options": role_options(), "chosen": chosen}


async def _account_context(
    request: AnyRequest, form: Form | None, roles_form: bool = False
) -> dict[str, Any]:
    account_id = int(request.path_params["account_id"])
    chosen_roles = sorted(_wanted_roles(form)) if form is not None and roles_form else None
    account = await services.get_account(account_id)
    profile = await profiles.get_profile(account_id)
    sites = await district_sites.list_sites()
    if profile.site and profile.site.id not in {s.id for s in sites}:
        sites.append(profile.site)
    job_roles = await job_roles_and_skills.list_job_roles()
    if profile.job_role and profile.job_role.id not in {j.id for j in job_roles}:
        job_roles.append(profile.job_role)
    supervisors = await services.list_accounts(role=Role.SUPERVISOR, active=True, limit=500)
    supervisor_options = [
        (person.id, f"{person.display_name} ({person.email})")
        for person in supervisors.items
        if person.id != account_id
    ]
    if profile.supervisor and profile.supervisor.id not in {p for p, _ in supervisor_options}:
        supervisor_options.append((profile.supervisor.id, profile.supervisor.display_name))
    current = {
        "display_name": account.display_name,
        "email": account.email,
        "site_id": profile.site.id if profile.site else "",
        "job_role_id": profile.job_role.id if profile.job_role else "",
        "supervisor_id": profile.supervisor.id if profile.supervisor else "",
        "languages": ", ".join(profile.languages),
    }
    return {
        "account": account,
        "profile": profile,
        "is_me": account.id == request.user.account_id,
        "role_options": role_options(),
        "chosen": [r.value for r in (chosen_roles if chosen_roles is not None else account.roles)],
        "site_options": [
            (s.id, f"{s.name} ({s.code})" + ("" if s.active else " — closed"))
            for s in sorted(sites, key=lambda s: s.name)
        ],
        "job_role_options": [
            (j.id, j.name + ("" if j.active else " — retired")) for j in job_roles
        ],
        "supervisor_options": supervisor_options,
        "values": current,
    }


def _profile_errors(service_fields: Mapping[str, str]) -> dict[str, str]:
    fields = {
        (name if name in LABELS else "supervisor_id"): message
        for name, message in service_fields.items()
    }
    friendly = {
        "site_id": "That site is closed or no longer exists: choose another.",
        "job_role_id": "That job role is retired or no longer exists: choose another.",
    }
    result = {}
    for name, message in fields.items():
        if name in friendly and message.startswith("no "):
            result[name] = friendly[name]
        elif name == "supervisor_id" and "supervisor role" in message:
            result[name] = "That person does not hold the supervisor role."
        elif name == "supervisor_id" and message.startswith("no active account"):
            result[name] = "That person's account is not active."
        else:
            result[name] = field_sentence(name, message, LABELS)
    return result


def _and(words: Any) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


NEW_ACCOUNT = FormPage(
    "accounts/new.html",
    _new_account_context,
    LABELS,
    refusals={Conflict: At("email", DUPLICATE_EMAIL)},
)
ACCOUNT = FormPage("accounts/show.html", _account_context, LABELS)
DETAILS = ACCOUNT.but(refusals={Conflict: At("email", DUPLICATE_EMAIL)})
ROLES = ACCOUNT.but(
    context=functools.partial(_account_context, roles_form=True),
    refusals={Conflict: At("roles")},
)
DEACTIVATE = ACCOUNT.but(refusals={Conflict: At("deactivate")})
PASSWORD = ACCOUNT.but(names={"password": "new_password"})
PROFILE = ACCOUNT.but(words=_profile_errors, refusals={Conflict: At("supervisor_id")})


async def _accounts_list(
    q: str | None, role: str | None, status: str | None, page_number: int
) -> dict[str, Any]:
    """One page of the accounts list, with the filters as chosen and the paging links."""
    search = (q or "").strip()[:200] or None
    chosen_role = Role(role) if role in {r.value for r in Role} else None
    active = {"active": True, "inactive": False}.get(status or "")
    number = max(1, page_number)
    found = await services.list_accounts(
        search=search,
        role=chosen_role,
        active=active,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    last = max(1, -(-found.total // PAGE_SIZE))
    query = {"q": search or "", "role": role or "", "status": status or ""}
    return {
        "accounts": found.items,
        "total": found.total,
        "first": found.offset + 1,
        "last_shown": found.offset + len(found.items),
        "page_number": number,
        "last_page": last,
        "query": query,
        "query_string": urlencode({k: v for k, v in query.items() if v}),
        "roles": list(Role),
    }


class AccountPages(Controller):
    """Accounts: create, edit, grant and revoke roles, deactivate."""

    path = "/admin/accounts"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-accounts")
    async def index(
        self,
        q: FromQuery[str | None] = None,
        role: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        page_number: FromQuery[int] = 1,
    ) -> Template:
        """The accounts matching a name or email search, a role and a status, a page at a time."""
        return page("accounts/index.html", await _accounts_list(q, role, status, page_number))

    @get("/new", name="admin-account-new")
    async def new_form(self, request: Me) -> Template:
        """The form for a new account."""
        return await NEW_ACCOUNT.show(request)

    @form_post("/new", NEW_ACCOUNT)
    async def create(self, request: Me) -> Response[Any]:
        """Create the account; bad input comes back at its field."""
        data = await NEW_ACCOUNT.read(request, AccountCreate, _new_account)
        created = await services.create_account(data)
        created_notice = "notice.created" if created.has_password else "notice.created_no_password"
        notice = ACCOUNTS(created_notice, name=created.display_name)
        return redirect(request, f"/admin/accounts/{created.id}", notice)

    @get("/{account_id:int}", name="admin-account")
    async def show(self, request: Me, account_id: FromPath[int]) -> Template:
        """One person's account and profile, each part with its own form."""
        return await ACCOUNT.show(request)

    @form_post("/{account_id:int}/details", DETAILS)
    async def update_details(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Change the name or email address."""
        data = await DETAILS.read(request, AccountUpdate, _details)
        await services.update_account(account_id, data)
        return redirect(request, f"/admin/accounts/{account_id}", ACCOUNTS("notice.details_saved"))

    @form_post("/{account_id:int}/roles", ROLES)
    async def update_roles(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Grant the ticked roles and revoke the others (each change is audited)."""
        wanted = _wanted_roles(await ROLES.form(request))
        change = await services.set_roles(account_id, wanted, request.user.account_id)
        return redirect(request, f"/admin/accounts/{account_id}", _roles_notice(change))

    @form_post("/{account_id:int}/deactivate", DEACTIVATE)
    async def deactivate(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Stop the account signing in (its sessions end at once)."""
        account = await services.deactivate(account_id, request.user.account_id)
        notice = ACCOUNTS("notice.deactivated", name=account.display_name)
        return redirect(request, f"/admin/accounts/{account_id}", notice)

    @post("/{account_id:int}/reactivate")
    async def reactivate(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Let the account sign in again."""
        account = await services.reactivate(account_id, request.user.account_id)
        notice = ACCOUNTS("notice.reactivated", name=account.display_name)
        return redirect(request, f"/admin/accounts/{account_id}", notice)

    @form_post("/{account_id:int}/password", PASSWORD)
    async def set_password(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Set a new password; every session of the account ends."""
        await services.set_password(account_id, _new_password(await PASSWORD.form(request)))
        notice = ACCOUNTS("notice.password_set")
        return redirect(request, f"/admin/accounts/{account_id}", notice)

    @form_post("/{account_id:int}/profile", PROFILE)
    async def update_profile(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Change site, job role, supervisor and languages (only what was changed is sent)."""
        changes = await _profile_changes(account_id, await PROFILE.form(request))
        await profiles.update_profile(account_id, convert(ProfileUpdate, changes, LABELS))
        notice = ACCOUNTS("notice.profile_saved" if changes else "notice.nothing_changed")
        return redirect(request, f"/admin/accounts/{account_id}", notice)
