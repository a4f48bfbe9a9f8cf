"""The district's messages as codes: its refusals (sites, travel links, job roles, skills,
profiles) and the notices its pages leave after a change."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

DISTRICT = Catalogue(
    "district",
    {
        # --- refusals ---
        "no_site": "no site with id {site_id}",
        "no_site_code": "no site with code {code}",
        "blank": "must not be blank",
        "site_code_taken": "a site with the code {code} already exists",
        "link_same_site": "a travel link joins two different sites",
        "no_link": "no direct travel link between sites {low} and {high}",
        "no_such_link": "no such travel link",
        "no_job_role": "no job role with id {job_role_id}",
        "job_role_code_taken": "a job role with the code {code} already exists",
        "no_skill": "no skill with id {skill_id}",
        "skill_taken": "the skill {name!r} already exists",
        "unknown_skills": "unknown skill id(s): {ids}",
        "retired_skills": "retired skill(s): {names}",
        "no_account": "no account with id {account_id}",
        "no_open_site": "no open site with id {site_id}",
        "no_active_job_role": "no active job role with id {job_role_id}",
        "supervision_loop": "that would make a loop in the supervision chain: {loop}",
        "no_active_account": "no active account with id {account_id}",
        "not_supervisor": "account {account_id} does not hold the supervisor role",
        # --- what a form says at a field ---
        "choose_link_start": "Choose the site the link starts from.",
        "choose_link_end": "Choose the site the link goes to.",
        "choose_two_sites": "Choose two different sites.",
        "enter_password": "Enter the new password.",
        # --- notices after a change ---
        "notice.site_added": "{site} was added. Link it to nearby sites so travel times can be"
        " worked out.",
        "notice.link_set": "Travel between {site_a} and {site_b} is set to {minutes} minutes.",
        "notice.link_removed": "The direct link between {site_a} and {site_b} was removed.",
        "notice.site_saved": "The site's details were saved.",
        "notice.site_closed": "{site} is closed.",
        "notice.site_reopened": "{site} is open again.",
        "notice.job_role_added": "The job role {name} was added.",
        "notice.job_role_renamed": "The new name was saved.",
        "notice.retired": "{name} is retired.",
        "notice.restored": "{name} is in use again.",
        "notice.skill_added": "The skill {name} was added.",
        "notice.skill_saved": "The skill was saved.",
    },
)
