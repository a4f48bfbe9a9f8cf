"""One pattern for every form page: the handler reads the form into the API's own schema,
calls one service and redirects with a notice; a refusal comes back as the same form shown
again (422) with every message at its field and what was typed kept.

A page declares its form once (`FormPage`: template, labels, how the page around the form is
rebuilt, where each kind of refusal is said) and its handlers use `form_post` (or
`shows_refusals` for a GET filter form), so no handler catches `ValidationFailed`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from litestar import Request, Response, post
from litestar.handlers import HTTPRouteHandler
from litestar.response import Template

from mentorship.lib.errors import Conflict, DomainError, TooManyAttempts, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.web.forms import Form, convert, field_sentence, read_form, sentence
from mentorship.web.messages import WEB
from mentorship.web.render import page, redirect

T = TypeVar("T")
AnyRequest = Request[Any, Any, Any]
PageContext = Callable[[AnyRequest, Form | None], Awaitable[Mapping[str, Any]]]
Shape = Callable[[Form], Mapping[str, Any]]

_FORM_KEY = "submitted_form"


@dataclass(frozen=True)
class BackTo:
    """Refusals that send the person back to a page (`path`, formatted with the route's path
    parameters) with the service's reason as the notice (or the notice `lead` makes of the
    reason): for a stale page."""

    path: str
    caught: tuple[type[DomainError], ...] = (ValidationFailed, Conflict)
    lead: Callable[[Message], Message] | None = None

    async def again(self, request: AnyRequest, refusal: DomainError) -> Response[Any]:
        """The see-other back, the reason as a one-time notice."""
        reason = refusal.reason
        notice = self.lead(reason) if self.lead else WEB("refused", reason=reason)
        return redirect(request, self.path.format(**request.path_params), notice)


@dataclass(frozen=True)
class Banner:
    """A refusal said above the form (the template's `name`) rather than at one field, in
    `words` worked out for the request or the service's own; `own_status` answers with the
    refusal's status (409, 403) instead of 422."""

    name: str = "refused"
    own_status: bool = False
    words: Callable[[AnyRequest, DomainError], Awaitable[str]] | None = None

    async def say(self, request: AnyRequest, refusal: DomainError) -> str:
        """The banner's sentence."""
        return await self.words(request, refusal) if self.words else sentence(refusal.message)


@dataclass(frozen=True)
class At:
    """A refusal said at one input (`name`), in fixed `words` or the service's own;
    `own_status` answers with the refusal's status (409) instead of 422."""

    name: str
    words: str | None = None
    own_status: bool = False


# Where a refusal is shown: at an input, above the form, or on another page to go back to.
Placement = At | Banner | BackTo


async def _no_context(request: AnyRequest, form: Form | None) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class FormPage:
    """A page with a form, and how to show it again when the form is refused.

    `context` rebuilds everything the template needs around the form (it gets the submitted
    form, or None when the page is first shown); `labels` names fields as the page does;
    `names` maps a service's field name to the input's where they differ (formatted with the
    route's path parameters: "capacity_{account_id}"); `formats` says what shape a value
    needs when the schema refused one that was there; `refusals` places other refusals (a
    `Conflict`, say): at an input, above the form, or back on another page; `words` turns the
    field messages into the page's own where the default sentence will not do, and `inputs`
    places messages whose input only the form can tell (a row of a list); `lists` are inputs
    kept as every value sent (checkbox groups); `secret` inputs are never sent back.
    """

    template: str
    context: PageContext = _no_context
    labels: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)
    refusals: Mapping[type[DomainError], Placement] = field(default_factory=dict)
    words: Callable[[Mapping[str, str]], dict[str, str]] | None = None
    inputs: Callable[[Mapping[str, str], Form], dict[str, str]] | None = None
    lists: frozenset[str] = frozenset()
    secret: frozenset[str] = frozenset({"password", "new_password"})

    def but(self, **changes: Any) -> FormPage:
        """The same page with some parts declared differently (one form among several)."""
        return replace(self, **changes)

    async def show(self, request: AnyRequest) -> Template:
        """The page with its form empty or as stored (200)."""
        return page(
            self.template, {"values": {}, "errors": {}, **await self.context(request, None)}
        )

    async def form(self, request: AnyRequest) -> Form:
        """The submitted form (a GET form's query), read once and kept for showing it again."""
        state = request.scope.setdefault("state", {})
        if _FORM_KEY not in state and request.method == "GET":
            query = request.query_params
            state[_FORM_KEY] = Form(
                values={name: query.get(name, "").strip() for name in query},
                lists={name: [v.strip() for v in query.getall(name)] for name in query},
            )
        if _FORM_KEY not in state:
            state[_FORM_KEY] = await read_form(request)
        form: Form = state[_FORM_KEY]
        return form

    async def read(self, request: AnyRequest, schema: type[T], shape: Shape | None = None) -> T:
        """The form as the API's `schema`; every field's mistake at once when it is not one."""
        form = await self.form(request)
        return convert(schema, shape(form) if shape else form.values, self.labels)

    def errors(self, refusal: DomainError, form: Form, path: Mapping[str, Any]) -> dict[str, str]:
        """Each of the refusal's messages as a sentence at its input."""
        placement = self._placement(refusal)
        if isinstance(placement, At):
            return {placement.name: placement.words or sentence(refusal.message)}
        fields = refusal.fields if isinstance(refusal, ValidationFailed) else {}
        if self.inputs is not None:
            fields = self.inputs(fields, form)
        inputs = {self.names.get(k, k).format(**path): v for k, v in fields.items()}
        if self.words is not None and inputs:
            return self.words(inputs)
        errors = {}
        for name, message in inputs.items():
            shaped = message.strip().endswith("is required.") and form.get(name)
            errors[name] = self.formats[name] if shaped and name in self.formats else message
            errors[name] = field_sentence(name, errors[name], self.labels)
        return errors or {"form": sentence(refusal.message)}

    async def again(self, request: AnyRequest, refusal: DomainError) -> Response[Any]:
        """The same page, its form as typed and every message at its field (422)."""
        placement = self._placement(refusal)
        if isinstance(placement, BackTo):
            return await placement.again(request, refusal)
        form = await self.form(request)
        kept: dict[str, Any] = {k: v for k, v in form.values.items() if k not in self.secret}
        kept.update({name: form.getall(name) for name in self.lists})
        context = dict(await self.context(request, form))
        values = {**context.get("values", {}), **kept}
        status = 422
        if isinstance(placement, At | Banner) and placement.own_status:
            status = refusal.status_code
        if isinstance(placement, Banner):
            context[placement.name] = await placement.say(request, refusal)
            errors = {}
        else:
            errors = self.errors(refusal, form, request.path_params)
        shown = page(self.template, {**context, "values": values, "errors": errors}, status=status)
        if isinstance(refusal, TooManyAttempts):  # says when to try again, as the API does
            shown.headers["retry-after"] = str(refusal.retry_after)
        return shown

    def _placement(self, refusal: DomainError) -> Placement | None:
        if isinstance(refusal, ValidationFailed) and ValidationFailed not in self.refusals:
            return None
        for kind, placement in self.refusals.items():
            if isinstance(refusal, kind):
                return placement
        return None

    @property
    def caught(self) -> tuple[type[DomainError], ...]:
        """The refusals this page shows at its form."""
        return (ValidationFailed, *self.refusals)


def as_said(fields: Mapping[str, str]) -> dict[str, str]:
    """The messages as the check wrote them (for `FormPage.words`: they are sentences already)."""
    return dict(fields)


Handler = Callable[..., Awaitable[Any]]


def shows_refusals(form: FormPage | BackTo) -> Callable[[Handler], Handler]:
    """Wrap a page handler (which must take `request`) so that its refusals come back as
    `form` shown again (422), or as a page to go back to."""

    def decorate(handler: Handler) -> Handler:
        if "request" not in inspect.signature(handler).parameters:
            raise TypeError(f"{handler.__qualname__} must take `request` to show its form again")

        @functools.wraps(handler)
        async def handle(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except form.caught as refusal:
                return await form.again(kwargs["request"], refusal)

        return handle

    return decorate


def form_post(
    path: str, form: FormPage | BackTo, **options: Any
) -> Callable[[Handler], HTTPRouteHandler]:
    """A POST page handler whose refusals come back as `form` shown again (422), or as a
    page to go back to; the handler must take `request`."""

    def decorate(handler: Handler) -> HTTPRouteHandler:
        return post(path, **options)(shows_refusals(form)(handler))

    return decorate
