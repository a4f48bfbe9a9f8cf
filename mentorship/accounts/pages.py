"""Admin pages for accounts and roles: the searchable list, a new account, and one person's
page (name and email, roles, sign-in status, password, and where they work)."""

from __future__ import annotations

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
from mentorship.accounts.schemas import AccountCreate, AccountUpdate
from mentorship.district import services as district
from mentorship.district.schemas import ProfileUpdate
from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.web.forms import Form, convert, field_sentence, field_sentences, read_form, sentence
from mentorship.web.render import form_page, page, redirect

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
        return page(
            "accounts/index.html",
            {
                "accounts": found.items,
                "total": found.total,
                "first": found.offset + 1,
                "last_shown": found.offset + len(found.items),
                "page_number": number,
                "last_page": last,
                "query": query,
                "query_string": urlencode({k: v for k, v in query.items() if v}),
                "roles": list(Role),
            },
        )

    @get("/new", name="admin-account-new")
    async def new_form(self) -> Template:
        """The form for a new account."""
        return page(
            "accounts/new.html",
            {"role_options": role_options(), "values": {}, "chosen": ["employee"], "errors": {}},
        )

    @post("/new")
    async def create(self, request: Me) -> Response[Any]:
        """Create the account; bad input comes back at its field."""
        form = await read_form(request)
        chosen = form.getall("roles")
        context = {"role_options": role_options(), "chosen": chosen}
        data = {
            "email": form.get("email"),
            "display_name": form.get("display_name"),
            "roles": chosen,
            "password": form.optional("password"),
        }
        try:
            created = await services.create_account(convert(AccountCreate, data, labels=LABELS))
        except ValidationFailed as exc:
            return form_page(
                "accounts/new.html", context, _kept(form), field_sentences(exc.fields, LABELS)
            )
        except Conflict:
            return form_page("accounts/new.html", context, _kept(form), {"email": DUPLICATE_EMAIL})
        sign_in = "" if created.has_password else " They cannot sign in until a password is set."
        return redirect(
            request,
            f"/admin/accounts/{created.id}",
            f"The account for {created.display_name} was created.{sign_in}",
        )

    @get("/{account_id:int}", name="admin-account")
    async def show(self, request: Me, account_id: FromPath[int]) -> Template:
        """One person's account and profile, each part with its own form."""
        context = await _account_context(request, account_id)
        return page("accounts/show.html", context)

    @post("/{account_id:int}/details")
    async def update_details(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Change the name or email address."""
        form = await read_form(request)
        data = {"display_name": form.get("display_name"), "email": form.get("email")}
        try:
            await services.update_account(account_id, convert(AccountUpdate, data, labels=LABELS))
        except ValidationFailed as exc:
            return await _show_again(request, account_id, form, field_sentences(exc.fields, LABELS))
        except Conflict:
            return await _show_again(request, account_id, form, {"email": DUPLICATE_EMAIL})
        return redirect(request, f"/admin/accounts/{account_id}", "The name and email were saved.")

    @post("/{account_id:int}/roles")
    async def update_roles(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Grant the ticked roles and revoke the others (each change is audited)."""
        form = await read_form(request)
        wanted = {Role(value) for value in form.getall("roles") if value in _ROLE_VALUES}
        try:
            change = await services.set_roles(account_id, wanted, request.user.account_id)
        except Conflict as exc:
            message = sentence(exc.message)
            return await _show_again(
                request, account_id, form, {"roles": message}, chosen_roles=sorted(wanted)
            )
        account, granted, revoked = change.account, change.granted, change.revoked
        if not granted and not revoked:
            return redirect(request, f"/admin/accounts/{account_id}", "No roles were changed.")
        parts = []
        if granted:
            parts.append("given " + _and(role.label.lower() for role in granted))
        if revoked:
            parts.append("no longer " + _and(role.label.lower() for role in revoked))
        notice = f"{account.display_name} is now {' and '.join(parts)}."
        return redirect(request, f"/admin/accounts/{account_id}", notice)

    @post("/{account_id:int}/deactivate")
    async def deactivate(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Stop the account signing in (its sessions end at once)."""
        form = await read_form(request)
        try:
            account = await services.deactivate(account_id, request.user.account_id)
        except Conflict as exc:
            return await _show_again(
                request, account_id, form, {"deactivate": sentence(exc.message)}
            )
        return redirect(
            request,
            f"/admin/accounts/{account_id}",
            f"{account.display_name}'s account is deactivated: they can no longer sign in.",
        )

    @post("/{account_id:int}/reactivate")
    async def reactivate(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Let the account sign in again."""
        account = await services.reactivate(account_id, request.user.account_id)
        return redirect(
            request,
            f"/admin/accounts/{account_id}",
            f"{account.display_name}'s account is active again: they can sign in.",
        )

    @post("/{account_id:int}/password")
    async def set_password(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Set a new password; every session of the account ends."""
        form = await read_form(request)
        password = form.values.get("new_password", "")
        if not password:
            return await _show_again(
                request, account_id, form, {"new_password": "Enter the new password."}
            )
        try:
            await services.set_password(account_id, password)
        except ValidationFailed as exc:
            errors = {
                "new_password": field_sentence(
                    "password", exc.fields.get("password", exc.message), LABELS
                )
            }
            return await _show_again(request, account_id, form, errors)
        return redirect(
            request,
            f"/admin/accounts/{account_id}",
            "The new password is set. Any sign-in the person had open has ended.",
        )

    @post("/{account_id:int}/profile")
    async def update_profile(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Change site, job role, supervisor and languages (only what was changed is sent)."""
        form = await read_form(request)
        profile = await district.get_profile(account_id)
        errors: dict[str, str] = {}
        site_id = form.integer("site_id", errors, LABELS["site_id"])
        job_role_id = form.integer("job_role_id", errors, LABELS["job_role_id"])
        supervisor_id = form.integer("supervisor_id", errors, LABELS["supervisor_id"])
        languages = [part.strip() for part in form.get("languages").split(",") if part.strip()]
        if errors:
            return await _show_again(request, account_id, form, errors)
        changes: dict[str, Any] = {}
        if site_id != (profile.site.id if profile.site else None):
            changes["site_id"] = site_id
        if job_role_id != (profile.job_role.id if profile.job_role else None):
            changes["job_role_id"] = job_role_id
        if supervisor_id != (profile.supervisor.id if profile.supervisor else None):
            changes["supervisor_id"] = supervisor_id
        if languages != profile.languages:
            changes["languages"] = languages
        try:
            data = convert(ProfileUpdate, changes, labels=LABELS)
            await district.update_profile(account_id, data)
        except ValidationFailed as exc:
            fields = {_profile_field(name): message for name, message in exc.fields.items()}
            return await _show_again(request, account_id, form, _profile_errors(fields))
        except Conflict as exc:
            errors = {"supervisor_id": sentence(exc.message)}
            return await _show_again(request, account_id, form, errors)
        notice = "Where they work was saved." if changes else "Nothing was changed."
        return redirect(request, f"/admin/accounts/{account_id}", notice)


async def _account_context(
    request: Me,
    account_id: int,
    values: Mapping[str, Any] | None = None,
    chosen_roles: list[Role] | None = None,
) -> dict[str, Any]:
    account = await services.get_account(account_id)
    profile = await district.get_profile(account_id)
    sites = await district.list_sites()
    if profile.site and profile.site.id not in {s.id for s in sites}:
        sites.append(profile.site)
    job_roles = await district.list_job_roles()
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
        "values": {**current, **(values or {})},
        "errors": {},
    }


async def _show_again(
    request: Me,
    account_id: int,
    form: Form,
    errors: Mapping[str, str],
    chosen_roles: list[Role] | None = None,
) -> Template:
    context = await _account_context(request, account_id, _kept(form), chosen_roles)
    return form_page("accounts/show.html", context, context["values"], errors)


def _kept(form: Form) -> dict[str, str]:
    """What was typed, never a password."""
    return {k: v for k, v in form.values.items() if k not in {"password", "new_password"}}


def _profile_field(name: str) -> str:
    return name if name in LABELS else "supervisor_id"


def _profile_errors(fields: Mapping[str, str]) -> dict[str, str]:
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
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
