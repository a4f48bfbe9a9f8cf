"""The kinds of work setting a site can be (PRODUCT §3)."""

from __future__ import annotations

from enum import StrEnum


class SettingType(StrEnum):
    """What kind of program a site runs; matching prefers mentors who know the setting."""

    EARLY_CHILDHOOD = "early_childhood"
    SPECIAL_EDUCATION = "special_education"
    GENERAL_EDUCATION = "general_education"
    BILINGUAL_EDUCATION = "bilingual_education"
    COMMUNITY_JOB_SITE = "community_job_site"
    COMPENSATORY_EDUCATION = "compensatory_education"
    OFFICE = "office"

    @property
    def label(self) -> str:
        """The setting as people say it."""
        return self.value.replace("_", " ").capitalize()
