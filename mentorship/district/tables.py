"""Sites, travel links, job roles, skills and each employee's place in the district."""

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.district.settings import SettingType


class Site(Table):
    """A school or work site."""

    id: Serial  # Piccolo adds the primary key; declared so type checkers see it

    code = Varchar(length=20, unique=True, help_text="Short code used in rosters, e.g. LHS.")
    name = Varchar(length=200, help_text="The site's full name.")
    setting_type = Varchar(length=40, choices=SettingType, help_text="Kind of program run there.")
    region = Varchar(length=100, help_text="District region or area the site belongs to.")
    active = Boolean(default=True, help_text="False once the site is closed.")


class TravelLink(Table):
    """Direct travel between two sites; the pair is stored once, lower site id first."""

    id: Serial

    site_a = ForeignKey(references=Site, on_delete=OnDelete.cascade, null=False)
    site_b = ForeignKey(references=Site, on_delete=OnDelete.cascade, null=False)
    minutes = Integer(help_text="Typical travel time between the two sites, in minutes.")


class ReferenceRevision(Table):
    """A counter per kind of reference data, bumped on every change, so caches know when to
    rebuild (across processes too)."""

    id: Serial

    name = Varchar(length=40, unique=True)
    revision = Integer(default=0)


class JobRole(Table):
    """A kind of position (paraeducator, office staff, …); admin-editable."""

    id: Serial

    code = Varchar(length=40, unique=True, help_text="Short code used in rosters.")
    name = Varchar(length=200)
    active = Boolean(default=True)


class Skill(Table):
    """A topic of the skills taxonomy a mentor can cover and a request can need."""

    id: Serial

    name = Varchar(length=200, unique=True)
    description = Text(default="")
    active = Boolean(default=True, help_text="Retired skills stay on old records only.")


class Employee(Table):
    """Where a person works and who supervises them; one row per account that has one."""

    id: Serial

    account = ForeignKey(
        references=Account, on_delete=OnDelete.cascade, null=False, unique=True, index=True
    )
    site = ForeignKey(references=Site, on_delete=OnDelete.restrict, null=True, default=None)
    job_role = ForeignKey(references=JobRole, on_delete=OnDelete.restrict, null=True, default=None)
    supervisor = ForeignKey(
        references=Account, on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    languages = JSON(default="[]", help_text="Languages the person works in, e.g. English.")
    updated_at = Timestamptz(default=TimestamptzNow())
