"""Publishing and reading agreement versions; exactly one (the latest) is in force."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mentorship.agreement.messages import AGREEMENT as AGREEMENT_WORDS
from mentorship.agreement.schemas import VersionPublish, VersionRead, VersionSummary
from mentorship.agreement.tables import AgreementVersion
from mentorship.agreement.terms import AgreementTerms, TermsInvalid, parse_terms, terms_to_dict
from mentorship.district.revisions import bump_revision
from mentorship.lib import clock, db
from mentorship.lib.errors import NotFound, ValidationFailed

AGREEMENT = "agreement"


@dataclass(frozen=True)
class InForce:
    """The version in force and its parsed terms, for other services to apply."""

    version: int
    terms: AgreementTerms


def _loaded(stored: Any) -> dict[str, Any]:
    value: dict[str, Any] = db.json_value(stored)
    return value


_COLUMNS = (
    AgreementVersion.version,
    AgreementVersion.published_at,
    AgreementVersion.published_by.display_name.as_alias("publisher"),
    AgreementVersion.summary,
)


async def _latest_number() -> int:
    row = (
        await AgreementVersion.select(AgreementVersion.version)
        .order_by(AgreementVersion.version, ascending=False)
        .first()
    )
    if row is None:
        raise NotFound(AGREEMENT_WORDS("none_published"))
    return int(row["version"])


async def in_force() -> InForce:
    """The version in force, parsed (every rule in the system reads it through here)."""
    row = (
        await AgreementVersion.select(AgreementVersion.version, AgreementVersion.terms)
        .order_by(AgreementVersion.version, ascending=False)
        .first()
    )
    if row is None:
        raise NotFound(AGREEMENT_WORDS("none_published"))
    return InForce(version=row["version"], terms=parse_terms(_loaded(row["terms"])))


async def terms_of(version: int) -> AgreementTerms:
    """The terms of one version (a case applies the version it was opened under)."""
    row = (
        await AgreementVersion.select(AgreementVersion.terms)
        .where(AgreementVersion.version == version)
        .first()
    )
    if row is None:
        raise NotFound(AGREEMENT_WORDS("no_version", version=version))
    return parse_terms(_loaded(row["terms"]))


async def get_version(version: int | None = None) -> VersionRead:
    """One version with its terms (the one in force when no number is given)."""
    latest = await _latest_number()
    number = latest if version is None else version
    row = (
        await AgreementVersion.select(*_COLUMNS, AgreementVersion.terms)
        .where(AgreementVersion.version == number)
        .first()
    )
    if row is None:
        raise NotFound(AGREEMENT_WORDS("no_version", version=number))
    return VersionRead(
        version=row["version"],
        in_force=row["version"] == latest,
        published_at=row["published_at"],
        published_by=row["publisher"],
        summary=row["summary"],
        terms=_loaded(row["terms"]),
    )


async def list_versions() -> list[VersionSummary]:
    """Every version, newest first."""
    rows = await AgreementVersion.select(*_COLUMNS).order_by(
        AgreementVersion.version, ascending=False
    )
    latest = rows[0]["version"] if rows else None
    return [
        VersionSummary(
            version=row["version"],
            in_force=row["version"] == latest,
            published_at=row["published_at"],
            published_by=row["publisher"],
            summary=row["summary"],
        )
        for row in rows
    ]


async def publish(data: VersionPublish, publisher_id: int) -> VersionRead:
    """Validate and publish a new version, which comes into force at once."""
    try:
        terms = parse_terms(data.terms)
    except TermsInvalid as exc:
        raise ValidationFailed(exc.fields) from exc
    async with db.transaction():
        # Taking the revision row's lock first makes concurrent publishers queue up, so
        # version numbers never collide.
        await bump_revision(AGREEMENT)
        number = await _latest_number() + 1
        await AgreementVersion.insert(
            AgreementVersion(
                version=number,
                terms=json.dumps(terms_to_dict(terms)),
                summary=data.summary.strip(),
                published_at=clock.now(),
                published_by=publisher_id,
            )
        )
    return await get_version(number)


async def version_in_force() -> int:
    """The number of the agreement version in force (the audit log stamps events with it)."""
    return (await in_force()).version
