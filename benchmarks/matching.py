"""Time the matching engine on synthetic districts, beside the raw solver and end to end.

Run: .venv/bin/python benchmarks/matching.py [--sizes small,medium,large] [--skip-e2e]
                                             [--repeat 3] [--seed 2026]

Sizes are requests × mentors: small 500 × 300, medium 2 000 × 1 200 and large 5 000 × 3 000
(the default runs all three); any other size can be given as RxM, e.g. 1000x600. The district
comes from `_synthetic_district.py`: sites in regions joined by travel links, a supervision
forest, job roles, 25 skills, languages; mentors with capacity 1-3, a few unavailable or
untrained; requests with 1-4 needed skills, about 10 % urgent and 20 % referred.

For each size it prints:

* the engine's own timings, `solver.solve(problem).timings` (median of --repeat runs):
  cost-matrix build, solve, explanations and the whole engine;
* the reference: `scipy.optimize.linear_sum_assignment` alone on the whole slot matrix of the
  same problem, prebuilt, forbidden pairs replaced by a finite penalty as `engine.assign`
  does (median of --repeat runs), and the ratio whole engine ÷ raw solve;
* end to end on SQLite: `mentorship.matching.runs.run_matching` on a fresh temporary
  database holding the same district, from loading the problem to the run, its proposals and
  unmatched reasons persisted and read back (filling the database is not part of it);
* peak memory: the engine's peak allocation traced by `tracemalloc` in a run of its own
  (tracing slows numpy, so the timings come from untraced runs), and the maximum resident set
  size of the process that ran the engine and of the one that ran the end-to-end call.

The engine and the end-to-end call of each size run in fresh processes, so each gets its own
database and its own maximum RSS. The targets of the 5 000 × 3 000 size (set for a 2-core
machine) are printed beside its figures with PASS or MISS. A summary table for
docs/performance.md closes the output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

import _synthetic_district as synthetic
import numpy as np
from scipy.optimize import linear_sum_assignment

from mentorship.matching import pairs as matching_pairs
from mentorship.matching import solver
from mentorship.matching.problem import Problem

SIZES = {"small": (500, 300), "medium": (2000, 1200), "large": (5000, 3000)}
TARGET_SIZE = (5000, 3000)
ENGINE_TARGET_SECONDS = 2.0
RATIO_TARGET = 3.0
END_TO_END_TARGET_SECONDS = 10.0
MEMORY_TARGET_BYTES = 1 << 30
INSERT_CHUNK = 500  # rows per INSERT while filling the database
MISSING = "n/a (services missing)"

T = TypeVar("T")


@dataclass(frozen=True)
class EngineFigures:
    """What one size measured in the engine's process (seconds and bytes)."""

    sites: int
    regions: int
    people: int
    feasible_share: float
    slots: int
    components: int
    proposals: int
    unmatched: int
    build: float
    solve: float
    explain: float
    total: float
    raw_solve: float
    raw_shape: tuple[int, int]
    traced_peak: int
    max_rss: int


@dataclass(frozen=True)
class EndToEndFigures:
    """What one size measured in the end-to-end process; `seconds` is None when the
    matching services are not there to call."""

    seconds: float | None
    fill_seconds: float = 0.0
    max_rss: int = 0
    matched: int = 0
    unmatched: int = 0
    persisted: int = 0
    timings: tuple[tuple[str, float], ...] = ()


def max_rss() -> int:
    """The process's peak resident set size so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux counts KiB


def isolated(function: Callable[..., T], *args: Any) -> T:
    """Run `function(*args)` in a fresh Python process and return its result."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


# --- the engine and the raw reference -------------------------------------------------------


def measure_engine(requests: int, mentors: int, seed: int, repeat: int) -> EngineFigures:
    """Engine timings (untraced), its traced peak, then the raw solve on the slot matrix."""
    district = synthetic.generate(requests, mentors, seed)
    problem = synthetic.to_problem(district)
    outcomes = [solver.solve(problem) for _ in range(repeat)]
    rss = max_rss()
    tracemalloc.start()
    solver.solve(problem)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    raw_seconds, raw_shape, feasible_share = raw_reference(problem, repeat)
    first = outcomes[0]

    def median(key: str) -> float:
        return statistics.median(outcome.timings[key] for outcome in outcomes)

    return EngineFigures(
        sites=len(district.sites),
        regions=len(district.regions),
        people=len(district.people),
        feasible_share=feasible_share,
        slots=first.slot_count,
        components=first.component_count,
        proposals=len(first.proposals),
        unmatched=len(first.unmatched),
        build=median("build"),
        solve=median("solve"),
        explain=median("explain"),
        total=median("total"),
        raw_solve=raw_seconds,
        raw_shape=raw_shape,
        traced_peak=traced_peak,
        max_rss=rss,
    )


def raw_reference(problem: Problem, repeat: int) -> tuple[float, tuple[int, int], float]:
    """Median seconds of `linear_sum_assignment` alone on the whole prebuilt slot matrix
    (every request × every mentor slot, slots = min(free capacity, requests)), with its
    shape and the share of request × mentor pairs no hard constraint forbids."""
    prepared = matching_pairs.prepare(problem)
    pairs = matching_pairs.pair_matrix(prepared)
    n_requests, n_mentors = prepared.shape
    slots = np.minimum(prepared.free, n_requests).astype(np.intp)
    matrix, _, _ = solver.slot_matrix(
        prepared, pairs, np.arange(n_requests), np.arange(n_mentors), slots
    )
    # As engine.assign does: shift the finite costs to start at 0 and put a penalty larger
    # than any difference in total finite cost where a pair is forbidden.
    finite = np.isfinite(matrix)
    low = float(matrix[finite].min())
    spread = float(matrix[finite].max()) - low
    penalty = spread * min(matrix.shape) * (1 + 1e-9) + 1.0
    work = np.where(finite, matrix - low, penalty)
    del matrix, finite
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        linear_sum_assignment(work)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), work.shape, float(pairs.feasible.mean())


# --- end to end on SQLite -------------------------------------------------------------------


def measure_end_to_end(requests: int, mentors: int, seed: int) -> EndToEndFigures:
    """Fill a fresh temporary SQLite database with the district, then time one recorded
    matching run through the service."""
    folder = Path(tempfile.mkdtemp(prefix="mentorship-bench-"))
    # The settings are read when the database engine is first built: set them before that.
    os.environ["MENTORSHIP_DATA_DIR"] = str(folder)
    os.environ["MENTORSHIP_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite'}"
    os.environ.setdefault("MENTORSHIP_SECRET_KEY", "benchmark-secret-key-" + "x" * 32)
    try:
        return asyncio.run(_end_to_end(synthetic.generate(requests, mentors, seed)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _end_to_end(district: synthetic.District) -> EndToEndFigures:
    if find_spec("mentorship.matching.runs") is None:
        return EndToEndFigures(seconds=None)
    from mentorship.matching import runs
    from mentorship.matching.tables import MatchProposal

    started = time.perf_counter()
    await fill_database(district)
    filled = time.perf_counter()
    run = await runs.run_matching(actor_id=None, dry_run=False)
    seconds = time.perf_counter() - filled
    persisted = await MatchProposal.count().where(MatchProposal.run == run.id)
    return EndToEndFigures(
        seconds=seconds,
        fill_seconds=filled - started,
        max_rss=max_rss(),
        matched=run.matched_count,
        unmatched=run.unmatched_count,
        persisted=persisted,
        timings=tuple(run.timings.items()),
    )


async def _insert(table: Any, rows: list[Any]) -> None:
    for start in range(0, len(rows), INSERT_CHUNK):
        await table.insert(*rows[start : start + INSERT_CHUNK])


async def fill_database(district: synthetic.District) -> None:
    """Migrate the database and store the district through the real tables, in one
    transaction: sites and links, accounts with roles and profiles, approved mentors with
    skills and verified training, open requests with their skills."""
    from mentorship.access.roles import Role
    from mentorship.accounts.emails import email_key
    from mentorship.accounts.tables import Account, AccountRole
    from mentorship.agreement import services as agreement
    from mentorship.assistance.states import ConsentDecision, RequestState, Track, Urgency
    from mentorship.assistance.tables import AssistanceRequest, RequestSkill
    from mentorship.development.tables import TrainingRecord
    from mentorship.district.revisions import SUPERVISION, TRAVEL_GRAPH, bump_revision
    from mentorship.district.tables import Employee, JobRole, Site, Skill, TravelLink
    from mentorship.lib import clock, db
    from mentorship.lib.commands import apply_migrations
    from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus

    await apply_migrations()
    in_force = await agreement.in_force()
    terms = in_force.terms
    now = clock.now()
    people = district.people
    async with db.transaction():
        await bump_revision(TRAVEL_GRAPH)
        await bump_revision(SUPERVISION)
        await _insert(
            Site,
            [
                Site(code=s.code, name=s.name, setting_type=s.setting.value, region=s.region)
                for s in district.sites
            ],
        )
        by_code = {r["code"]: r["id"] for r in await Site.select(Site.id, Site.code)}
        site_ids = [by_code[s.code] for s in district.sites]
        await _insert(
            TravelLink,
            [
                TravelLink(site_a=site_ids[a], site_b=site_ids[b], minutes=minutes)
                for a, b, minutes in district.links
            ],
        )
        known = {r["name"] for r in await Skill.select(Skill.name)}
        await _insert(Skill, [Skill(name=name) for name in synthetic.SKILLS if name not in known])
        by_name = {r["name"]: r["id"] for r in await Skill.select(Skill.id, Skill.name)}
        skill_ids = [by_name[name] for name in synthetic.SKILLS]
        job_ids = {r["code"]: r["id"] for r in await JobRole.select(JobRole.id, JobRole.code)}

        await _insert(
            Account,
            [
                Account(email=p.email, email_key=email_key(p.email), display_name=p.name)
                for p in people
            ],
        )
        by_key = {
            r["email_key"]: r["id"] for r in await Account.select(Account.id, Account.email_key)
        }
        ids = [by_key[email_key(p.email)] for p in people]
        mentor_people = {m.person for m in district.mentors}
        await _insert(
            AccountRole,
            [
                AccountRole(account=ids[i], role=role.value, granted_at=now)
                for i, p in enumerate(people)
                for role, held in (
                    (Role.EMPLOYEE, p.job_role is not None),
                    (Role.SUPERVISOR, p.supervises),
                    (Role.MENTOR, i in mentor_people),
                )
                if held
            ],
        )
        await _insert(
            Employee,
            [
                Employee(
                    account=ids[i],
                    site=site_ids[p.site],
                    job_role=None if p.job_role is None else job_ids[p.job_role],
                    supervisor=None if p.supervisor is None else ids[p.supervisor],
                    languages=json.dumps(list(p.languages)),
                )
                for i, p in enumerate(people)
            ],
        )

        # Complete training (every topic at its minimum, the rest of the total in the first)
        # for trained mentors; the others miss their last topic.
        topics = terms.required_training.topics
        extra_hours = max(
            0.0, terms.required_training.total_min_hours - sum(t.min_hours for t in topics)
        )
        taken = (now - timedelta(days=120)).date()
        await _insert(
            TrainingRecord,
            [
                TrainingRecord(
                    account=ids[m.person],
                    topic=topic.topic,
                    minutes=round(60 * (topic.min_hours + (extra_hours if n == 0 else 0))),
                    completed_on=taken,
                    verified_at=now,
                )
                for m in district.mentors
                for n, topic in enumerate(topics if m.trained else topics[:-1])
            ],
        )
        await _insert(
            Mentor,
            [
                Mentor(
                    account=ids[m.person],
                    status=MentorStatus.APPROVED.value,
                    capacity=m.capacity,
                    available=m.available,
                    applied_at=now - timedelta(days=300),
                    decided_at=now - timedelta(days=280),
                )
                for m in district.mentors
            ],
        )
        mentor_rows = {
            r["account"]: r["id"] for r in await Mentor.select(Mentor.id, Mentor.account)
        }
        await _insert(
            MentorSkill,
            [
                MentorSkill(mentor=mentor_rows[ids[m.person]], skill=skill_ids[s], level=level)
                for m in district.mentors
                for s, level in m.skills.items()
            ],
        )

        requests = []
        for r in district.requests:
            opened = now - timedelta(days=r.waiting_days)
            filed = opened - timedelta(days=2) if r.referred else opened
            person = people[r.person]
            requests.append(
                AssistanceRequest(
                    employee=ids[r.person],
                    filed_by=ids[person.supervisor] if r.referred else ids[r.person],
                    track=(Track.REFERRED if r.referred else Track.VOLUNTARY).value,
                    state=RequestState.OPEN.value,
                    urgency=(Urgency.URGENT if r.urgent else Urgency.NORMAL).value,
                    preferred_language=r.language,
                    agreement_version=in_force.version,
                    filed_at=filed,
                    opened_at=opened,
                    consent_decision=ConsentDecision.CONSENT.value if r.referred else None,
                    consent_at=opened if r.referred else None,
                    consent_agreement_version=in_force.version if r.referred else None,
                    consent_wording=terms.referral_consent_text if r.referred else None,
                )
            )
        await _insert(AssistanceRequest, requests)
        request_rows = {
            r["employee"]: r["id"]
            for r in await AssistanceRequest.select(
                AssistanceRequest.id, AssistanceRequest.employee
            )
        }
        await _insert(
            RequestSkill,
            [
                RequestSkill(request=request_rows[ids[r.person]], skill=skill_ids[s], priority=p)
                for r in district.requests
                for s, p in r.needs.items()
            ],
        )


# --- output ---------------------------------------------------------------------------------


def count(value: int) -> str:
    """5 000 rather than 5000."""
    return f"{value:,}".replace(",", " ")


def mib(value: int) -> str:
    return f"{value / (1 << 20):,.0f} MiB".replace(",", " ")


def size_label(size: tuple[int, int]) -> str:
    return f"{count(size[0])} × {count(size[1])}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_size(
    size: tuple[int, int], engine: EngineFigures, end_to_end: EndToEndFigures | None
) -> None:
    """One size's table: figure, measured value and, for the target size, target and verdict."""
    targeted = size == TARGET_SIZE
    ratio = engine.total / engine.raw_solve
    raw_rows, raw_columns = engine.raw_shape
    rows: list[tuple[str, str, str, str]] = [
        ("cost-matrix build", f"{engine.build:.3f} s", "", ""),
        ("solve", f"{engine.solve:.3f} s", "", ""),
        ("explanations", f"{engine.explain:.3f} s", "", ""),
        (
            "whole engine",
            f"{engine.total:.3f} s",
            f"≤ {ENGINE_TARGET_SECONDS:g} s",
            verdict(engine.total <= ENGINE_TARGET_SECONDS),
        ),
        (
            f"raw linear_sum_assignment ({count(raw_rows)} × {count(raw_columns)})",
            f"{engine.raw_solve:.3f} s",
            "",
            "",
        ),
        (
            "whole engine ÷ raw solve",
            f"{ratio:.2f} ×",
            f"≤ {RATIO_TARGET:g} ×",
            verdict(ratio <= RATIO_TARGET),
        ),
    ]
    if end_to_end is not None:
        if end_to_end.seconds is None:
            rows.append(("end to end on SQLite", MISSING, "", ""))
        else:
            rows.append(
                (
                    "end to end on SQLite",
                    f"{end_to_end.seconds:.3f} s",
                    f"≤ {END_TO_END_TARGET_SECONDS:g} s",
                    verdict(end_to_end.seconds <= END_TO_END_TARGET_SECONDS),
                )
            )
    memory_target = f"≤ {MEMORY_TARGET_BYTES / (1 << 30):g} GiB"
    memories = [
        ("engine peak allocation (tracemalloc)", engine.traced_peak),
        ("max RSS, engine process", engine.max_rss),
    ]
    if end_to_end is not None and end_to_end.seconds is not None:
        memories.append(("max RSS, end-to-end process", end_to_end.max_rss))
    for label, value in memories:
        rows.append((label, mib(value), memory_target, verdict(value <= MEMORY_TARGET_BYTES)))
    if not targeted:
        rows = [(label, value, "", "") for label, value, _, _ in rows]

    print(
        f"\n{size_label(size)} (requests × mentors): {engine.sites} sites in"
        f" {engine.regions} regions, {count(engine.people)} people,"
        f" {engine.feasible_share:.1%} of pairs feasible, {count(engine.slots)} slots,"
        f" {engine.components} component(s); {count(engine.proposals)} proposed,"
        f" {count(engine.unmatched)} unmatched"
    )
    width = max(len(label) for label, *_ in rows)
    header = f"  {'figure':<{width}}  {'measured':>12}"
    if targeted:
        header += f"  {'target':>10}  verdict"
    print(header)
    for label, value, target, result in rows:
        line = f"  {label:<{width}}  {value:>12}"
        if targeted:
            line += f"  {target:>10}  {result}"
        print(line.rstrip())
    if end_to_end is not None and end_to_end.seconds is not None:
        inside = ", ".join(f"{key} {value:.3f} s" for key, value in end_to_end.timings)
        print(
            f"  end to end: {count(end_to_end.matched)} proposed"
            f" ({count(end_to_end.persisted)} persisted), {count(end_to_end.unmatched)}"
            f" unmatched; the run's own timings: {inside}; filling the database took"
            f" {end_to_end.fill_seconds:.1f} s (not measured)"
        )


def print_summary(
    results: list[tuple[tuple[int, int], EngineFigures, EndToEndFigures | None]],
) -> None:
    """All sizes in one Markdown table (the one docs/performance.md records)."""
    print(
        "\n| requests × mentors | build | solve | explain | whole engine | raw LSA"
        " | engine ÷ raw | end to end | engine peak (traced) | max RSS engine / e2e |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, engine, end_to_end in results:
        if end_to_end is None:
            e2e, e2e_rss = "skipped", "-"
        elif end_to_end.seconds is None:
            e2e, e2e_rss = MISSING, "-"
        else:
            e2e, e2e_rss = f"{end_to_end.seconds:.2f} s", mib(end_to_end.max_rss)
        print(
            f"| {size_label(size)} | {engine.build:.3f} s | {engine.solve:.3f} s"
            f" | {engine.explain:.3f} s | {engine.total:.3f} s | {engine.raw_solve:.3f} s"
            f" | {engine.total / engine.raw_solve:.2f} × | {e2e} | {mib(engine.traced_peak)}"
            f" | {mib(engine.max_rss)} / {e2e_rss} |"
        )


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """'small,large' or '1000x600,large' → [(requests, mentors), …]."""
    sizes = []
    for item in text.split(","):
        name = item.strip().lower()
        custom = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)", name)
        if name in SIZES:
            sizes.append(SIZES[name])
        elif custom:
            sizes.append((int(custom[1]), int(custom[2])))
        else:
            raise argparse.ArgumentTypeError(
                f"unknown size {item!r}: use {', '.join(SIZES)} or RxM"
            )
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(SIZES.values()),
        help="comma-separated sizes: small, medium, large or RxM (default: all three)",
    )
    parser.add_argument("--skip-e2e", action="store_true", help="leave out the SQLite run")
    parser.add_argument("--repeat", type=int, default=3, help="timed engine runs per size")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the district")
    args = parser.parse_args()
    print(
        f"matching benchmark: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]},"
        f" numpy {np.__version__}, seed {args.seed}, median of {args.repeat} run(s)"
    )
    results = []
    for size in args.sizes:
        engine = isolated(measure_engine, *size, args.seed, args.repeat)
        end_to_end = None if args.skip_e2e else isolated(measure_end_to_end, *size, args.seed)
        print_size(size, engine, end_to_end)
        results.append((size, engine, end_to_end))
    print_summary(results)


if __name__ == "__main__":
    main()
