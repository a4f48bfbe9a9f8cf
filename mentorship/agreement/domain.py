"""The agreement domain: the versioned peer-assistance agreement the program runs under."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.agreement.controllers import AgreementController
from mentorship.agreement.pages import AgreementPages
from mentorship.agreement.services import version_in_force
from mentorship.audit import services as audit
from mentorship.lib.domain import Domain
from mentorship.web.nav import ADMINISTRATION, link

DOMAIN = Domain(
    name="agreement",
    piccolo_app="mentorship.agreement.piccolo_app",
    api=[AgreementController],
    pages=[AgreementPages],
    menu=[link(ADMINISTRATION, 50, "Agreement", "/admin/agreement", Role.ADMIN)],
    providers=[(audit.version_in_force, version_in_force)],
)
