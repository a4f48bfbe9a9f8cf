import json
from datetime import datetime, timezone

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-11-23T11:04:08:015791"
VERSION = "1.38.0"
DESCRIPTION = "first agreement version with the default terms"

# PRODUCT §4's defaults, frozen here as history: later versions are published by admins.
FIRST_TERMS = json.loads(
    """
{
    "tracks": {
        "voluntary": true,
        "referred": true,
        "referred_requires_consent": true
    },
    "supervisor_visibility": "status",
    "coordinator_reads_notes": false,
    "mentor_site_rule": "forbidden",
    "max_travel_minutes": 45,
    "caseload_cap": 3,
    "referred_case_weight": 2,
    "required_training": {
        "topics": [
            {
                "topic": "Peer mentor responsibilities",
                "min_hours": 2
            },
            {
                "topic": "Coaching techniques and strategies",
                "min_hours": 2
            },
            {
                "topic": "Confidentiality",
                "min_hours": 2
            },
            {
                "topic": "Communication and feedback skills",
                "min_hours": 2
            },
            {
                "topic": "Appropriate roles of secretarial and paraeducator positions",
                "min_hours": 2
            }
        ],
        "total_min_hours": 12
    },
    "training_valid_days": 730,
    "max_case_days": 180,
    "report_every_days": 42,
    "report_response_days": 10,
    "note_retention_days": 730,
    "referral_consent_text": "Your supervisor has referred you to the peer-assistance program. Taking part is your choice. If you agree, a trained peer mentor from the mentor pool will work with you. What you tell your mentor stays between the two of you: it is never placed in an evaluation or discipline file. Your supervisor will see only the status of the referral (and, where the agreement allows, how many meetings took place), never what was said. You may decline now, and declining has no consequence; your supervisor will only see that you declined."
}
"""
)


class AgreementVersion(Table, tablename="agreement_version", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="agreement", description=DESCRIPTION
    )

    async def publish_first():
        await AgreementVersion.raw(
            "INSERT INTO agreement_version (version, terms, summary, published_at)"
            " VALUES (1, {}, {}, {})",
            json.dumps(FIRST_TERMS),
            "The program's starting terms (the defaults of the specification).",
            datetime.now(timezone.utc),
        )

    async def unpublish_first():
        await AgreementVersion.raw("DELETE FROM agreement_version WHERE version = 1")

    manager.add_raw(publish_first)
    manager.add_raw_backwards(unpublish_first)

    return manager
