"""Request and response shapes for sites, travel, job roles, skills and employee profiles."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from mentorship.district.settings import SettingType

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
RoleCode = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]
# `\S`: at least one character that is not a space, so "   " is refused as blank.
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Region = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=600)]
Language = Annotated[str, msgspec.Meta(min_length=2, max_length=40, pattern=r"\S")]


class SiteCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new site."""

    code: Code
    name: Name
    setting_type: SettingType
    region: Region


class SiteUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a site; omitted fields stay as they are."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    setting_type: SettingType | msgspec.UnsetType = msgspec.UNSET
    region: Region | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class SiteRead(msgspec.Struct):
    """A site."""

    id: int
    code: str
    name: str
    setting_type: SettingType
    region: str
    active: bool


class LinkWrite(msgspec.Struct, forbid_unknown_fields=True):
    """Travel minutes for a direct link between two sites."""

    minutes: Minutes


class LinkRead(msgspec.Struct):
    """A direct travel link between two sites."""

    site_a: int
    site_a_code: str
    site_b: int
    site_b_code: str
    minutes: int


class TravelRead(msgspec.Struct):
    """The shortest travel between two sites, or `reachable: false` when no path joins them."""

    origin: str
    destination: str
    reachable: bool
    minutes: float | None
    route: list[str]


class JobRoleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new job role."""

    code: RoleCode
    name: Name


class JobRoleUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a job role."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class JobRoleRead(msgspec.Struct):
    """A job role."""

    id: int
    code: str
    name: str
    active: bool


class SkillCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new topic in the skills taxonomy."""

    name: Name
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class SkillUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a skill."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=2000)] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class SkillRead(msgspec.Struct):
    """A skill."""

    id: int
    name: str
    description: str
    active: bool


class PersonRef(msgspec.Struct):
    """Another person, by id and name only."""

    id: int
    display_name: str


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Where a person works and who supervises them; omitted fields stay, null clears."""

    site_id: int | msgspec.UnsetType | None = msgspec.UNSET
    job_role_id: int | msgspec.UnsetType | None = msgspec.UNSET
    supervisor_id: int | msgspec.UnsetType | None = msgspec.UNSET
    languages: Annotated[list[Language], msgspec.Meta(max_length=10)] | msgspec.UnsetType = (
        msgspec.UNSET
    )


class ProfileRead(msgspec.Struct):
    """A person's place in the district."""

    account_id: int
    display_name: str
    email: str
    site: SiteRead | None
    job_role: JobRoleRead | None
    supervisor: PersonRef | None
    languages: list[str]


class SuperviseeRead(msgspec.Struct):
    """Someone in a supervisor's chain, as the supervisor may see them."""

    account_id: int
    display_name: str
    site_code: str | None
    directly: bool


def changed_fields(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH-style body actually set."""
    return {
        name: value
        for name in data.__struct_fields__
        if (value := getattr(data, name)) is not msgspec.UNSET
    }
