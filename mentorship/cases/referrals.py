"""A referral as its supervisor follows it: the request's status and, once it became a case,
the case's status (never its content)."""

from __future__ import annotations

import msgspec

from mentorship.assistance import services as assistance
from mentorship.cases import services as cases
from mentorship.cases.schemas import ReferralWithCase


async def referral_with_case(request_id: int, viewer_id: int) -> ReferralWithCase:
    """The referral the viewer filed with its case's status; 404 for anyone else."""
    status = await assistance.referral_status(request_id, viewer_id)
    case = await cases.referral_case_status(request_id, viewer_id)
    return ReferralWithCase(**msgspec.structs.asdict(status), case=case)
