"""Time a 5,000-row roster import into a fresh temporary SQLite database.

Run: .venv/bin/python benchmarks/roster_import.py [ROWS]
Prints the seconds taken by a dry run, the import itself, a re-import of the same file (no
changes) and an import moving everyone (new sites, job roles, supervisors and languages).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
SITES = 40
JOB_ROLES = ("para", "sped_para", "health_para", "bilingual_para", "office", "library")
LANGUAGES = ("English", "Spanish", "Vietnamese", "Somali", "Tagalog")

_folder = Path(tempfile.mkdtemp(prefix="mentorship-bench-"))
os.environ["MENTORSHIP_DATA_DIR"] = str(_folder)
os.environ["MENTORSHIP_DATABASE_URL"] = f"sqlite:///{_folder / 'bench.sqlite'}"
os.environ.setdefault("MENTORSHIP_SECRET_KEY", "benchmark-secret-key-" + "x" * 32)


def roster(rows: int, seed: int = 42) -> bytes:
    """A roster: a few managers, supervisors under them, everyone else under a supervisor."""
    rng = random.Random(seed)
    managers = max(1, rows // 500)
    supervisors = max(1, rows // 50)
    lines = ["email,display_name,site_code,job_role,supervisor_email,roles,languages"]
    for i in range(rows):
        if i < managers:
            boss, roles = "", "employee;supervisor"
        elif i < managers + supervisors:
            boss, roles = f"person{rng.randrange(managers)}@district.example.org", "supervisor"
        else:
            boss = f"person{managers + rng.randrange(supervisors)}@district.example.org"
            roles = "employee"
        languages = ";".join(rng.sample(LANGUAGES, rng.randint(1, 2)))
        lines.append(
            f"person{i}@district.example.org,Person {i},S{rng.randrange(SITES):02d},"
            f"{rng.choice(JOB_ROLES)},{boss},{roles},{languages}"
        )
    return ("\n".join(lines) + "\n").encode()


async def main() -> None:
    from mentorship.district.schemas import SiteCreate
    from mentorship.district.settings import SettingType
    from mentorship.district.sites import create_site
    from mentorship.lib.commands import apply_migrations
    from mentorship.roster.services import import_roster

    await apply_migrations()
    for number in range(SITES):
        await create_site(
            SiteCreate(
                code=f"S{number:02d}",
                name=f"School {number}",
                setting_type=SettingType.GENERAL_EDUCATION,
                region="North",
            )
        )
    first, moved = roster(ROWS), roster(ROWS, seed=7)
    runs = (("dry run", first, True), ("import", first, False), ("re-import", first, False))
    for label, content, dry_run in (*runs, ("move all", moved, False)):
        started = time.perf_counter()
        report = await import_roster(content, dry_run=dry_run)
        seconds = time.perf_counter() - started
        print(
            f"{label:>9}: {ROWS} rows in {seconds:.2f} s"
            f" (created {report.created_count}, updated {report.updated_count},"
            f" unchanged {report.unchanged_count})"
        )


if __name__ == "__main__":
    asyncio.run(main())
