"""JSON API for professional-development records: training records (people record their own,
coordinators record and verify), training hours by topic, and the transcript with meeting
hours received and given."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.development import services, training_records
from mentorship.development.schemas import (
    DevelopmentRecord,
    HoursRecord,
    TrainingCreate,
    TrainingRead,
)
from mentorship.lib.http import CSV_MEDIA_TYPE, csv_download

Me = Request[Principal, Any, Any]
COORDINATOR = access(roles(Role.COORDINATOR))


class DevelopmentRecordController(Controller):
    """Training records by topic (the whole record with meeting hours: /transcripts)."""

    path = "/development-records"
    tags = ["professional development"]

    @get("/mine", operation_id="myDevelopmentRecord", summary="My PD record", opt=access(SIGNED_IN))
    async def mine(self, request: Me) -> DevelopmentRecord:
        """My training hours by topic and every record."""
        return await training_records.development_record(request.user.account_id)

    @get(
        "/{account_id:int}",
        operation_id="getDevelopmentRecord",
        summary="A PD record",
        opt=COORDINATOR,
    )
    async def one(self, account_id: FromPath[int]) -> DevelopmentRecord:
        """Someone's training hours by topic."""
        return await training_records.development_record(account_id)


class TranscriptController(Controller):
    """Professional-development transcripts: training and mentoring hours by topic."""

    path = "/transcripts"
    tags = ["professional development"]

    @get("/mine", operation_id="myTranscript", summary="My PD hours", opt=access(SIGNED_IN))
    async def mine(self, request: Me) -> HoursRecord:
        """My training hours and meeting hours (received and given), by topic."""
        return await services.hours_record(request.user.account_id)

    @get(
        "/mine/csv",
        operation_id="myTranscriptCsv",
        summary="Download my PD hours",
        media_type=CSV_MEDIA_TYPE,
        opt=access(SIGNED_IN),
    )
    async def mine_csv(self, request: Me) -> Response[str]:
        """My transcript as a CSV file."""
        text = await services.export_transcript(
            request.user.account_id,
            request.user.account_id,
            "employee",
            "download my professional-development transcript",
        )
        return csv_download(text, "pd-transcript")

    @get(
        "/{account_id:int}",
        operation_id="personTranscript",
        summary="A person's PD hours",
        opt=access(roles(Role.COORDINATOR)),
    )
    async def one(self, account_id: FromPath[int]) -> HoursRecord:
        """Anyone's training and meeting hours by topic (no case detail)."""
        return await services.hours_record(account_id)

    @get(
        "/{account_id:int}/csv",
        operation_id="personTranscriptCsv",
        summary="Download a person's PD hours",
        media_type=CSV_MEDIA_TYPE,
        opt=access(roles(Role.COORDINATOR)),
    )
    async def one_csv(self, request: Me, account_id: FromPath[int]) -> Response[str]:
        """A person's transcript as a CSV file (the export is audited)."""
        text = await services.export_transcript(
            account_id,
            request.user.account_id,
            "coordinator",
            "export a professional-development transcript",
        )
        return csv_download(text, f"pd-transcript-{account_id}")


class TrainingController(Controller):
    """Training records: people record their own, coordinators record and verify."""

    path = "/training-records"
    tags = ["professional development"]
    opt = COORDINATOR

    @post(
        "/",
        operation_id="recordTraining",
        summary="Record a completed training",
        opt=access(SIGNED_IN),
    )
    async def record(self, request: Me, data: JSONBody[TrainingCreate]) -> TrainingRead:
        """My own (unverified until a coordinator checks it), or anyone's by a coordinator."""
        return await training_records.add_training(
            data, request.user.account_id, Role.COORDINATOR in request.user.roles
        )

    @post(
        "/{record_id:int}/verify", operation_id="verifyTraining", status_code=200, summary="Verify"
    )
    async def verify(self, request: Me, record_id: FromPath[int]) -> TrainingRead:
        """Confirm a self-recorded training."""
        return await training_records.verify_training(record_id, request.user.account_id)

    @delete("/{record_id:int}", operation_id="removeTraining", summary="Remove a mistaken record")
    async def remove(self, record_id: FromPath[int]) -> None:
        """Delete a training record entered by mistake."""
        await training_records.remove_training(record_id)
