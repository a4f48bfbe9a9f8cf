"""Case pages: my case, the caseload, the case page, all cases, the development record."""

from __future__ import annotations

from litestar import Controller

from mentorship.auth.guards import SIGNED_IN, access


class CasePages(Controller):
    """Case lists and the case page; what each person sees is decided by the case services."""

    path = "/"
    include_in_schema = False
    opt = access(SIGNED_IN)
