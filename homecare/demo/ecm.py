"""The electronic call monitoring (ECM) file: every visit of the period, one row
per care worker, drawn from each provider's service profile.

This is the bulk of the demo (about a million rows at full size), so lines are
built as strings rather than through csv.writer, and timestamps come from a
table rather than strftime.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from homecare.demo.files import HEADERS, DemoCounts, open_csv
from homecare.demo.people import DemoPerson
from visits.models import ImportKind

# "HH:MM:SS" for every second of a day: formatting ~1M timestamps by table
# look-up rather than strftime keeps generation to seconds.
_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]


def _visit_lines(
    rng: random.Random, person: DemoPerson, first_day: date, last_day: date, counts: DemoCounts
) -> Iterator[str]:
    """The ECM rows of one person's visits over the period, one line each."""
    rnd = rng.random
    gauss = rng.gauss
    uniform = rng.uniform
    day_count = (last_day - first_day).days + 1
    # One extra day: a late bedtime call can end after midnight.
    day_text = [(first_day + timedelta(days=d)).isoformat() for d in range(day_count + 1)]
    clock = _CLOCK
    hospital = person.hospital_days

    def stamp(day: int, seconds: int) -> str:
        if seconds >= 86_400:
            return f"{day_text[day + 1]}T{clock[seconds - 86_400]}"
        return f"{day_text[day]}T{clock[seconds]}"

    for pk in person.packages:
        provider = pk.provider
        profile = provider.profile
        late_tail = profile.late_tail * pk.late_factor
        very_late = profile.very_late_share
        sd = profile.punctual_sd
        missed_p = profile.missed
        short_p = profile.short
        ecm_p = profile.ecm
        regular = profile.regular_share
        team = pk.team
        cover = pk.cover
        lunch_critical = bool(person.lacks_capacity) and not pk.time_critical
        first = max(pk.start, first_day)
        last = min(pk.end, last_day) if pk.end else last_day
        for day in range((first - first_day).days, (last - first_day).days + 1):
            on_day = first_day + timedelta(days=day)
            in_hospital = hospital is not None and hospital[0] <= on_day <= hospital[1]
            for call in pk.calls:
                # The lunchtime meal of someone lacking capacity is time-critical
                # on the visit itself (no draw: the demo's other figures stay put).
                critical = "yes" if lunch_critical and 12 * 3600 <= call.start < 13 * 3600 else ""
                provider.next_visit += 1
                visit_id = f"V{provider.next_visit:07d}"
                planned_start = stamp(day, call.start)
                planned_end = stamp(day, call.start + call.minutes * 60)
                head = f"{visit_id},{pk.ref},"
                timing = f"{planned_start},{planned_end},"
                counts.visits += 1
                r = rnd()
                if in_hospital or r < 0.007:
                    counts.cancelled_visits += 1
                    counts.visit_rows += 1
                    yield f"{head},{timing},,cancelled,,{critical}\n"
                    continue
                if r < 0.007 + missed_p:
                    counts.missed_visits += 1
                    counts.visit_rows += 1
                    yield f"{head},{timing},,missed,,{critical}\n"
                    continue
                if rnd() < late_tail:
                    if rnd() < very_late:
                        delay = int(uniform(61, 100) * 60)
                    else:
                        delay = int(uniform(30.5, 60) * 60)
                else:
                    delay = int(min(29.0, max(-10.0, gauss(2.0, sd))) * 60)
                factor = uniform(0.35, 0.74) if rnd() < short_p else uniform(0.78, 1.2)
                start = call.start + delay + int(rnd() * 60)
                end = start + max(180, int(call.minutes * 60 * factor))
                carer = (
                    team[int(rnd() * len(team))]
                    if rnd() < regular
                    else cover[int(rnd() * len(cover))]
                )
                verification = "ecm" if rnd() < ecm_p else "manual"
                counts.visit_rows += 1
                yield (
                    f"{head}{carer},{timing}{stamp(day, start)},{stamp(day, end)},"
                    f"completed,{verification},{critical}\n"
                )
                if call.double_handed:
                    second = carer
                    while second == carer:
                        second = cover[int(rnd() * len(cover))]
                    # The second worker arrives and leaves a little apart from the first.
                    start2 = start + int(uniform(-180, 240))
                    end2 = max(start2 + 180, end + int(uniform(-120, 180)))
                    counts.visit_rows += 1
                    counts.double_handed_visits += 1
                    yield (
                        f"{head}{second},{timing}{stamp(day, start2)},{stamp(day, end2)},"
                        f"completed,{verification},{critical}\n"
                    )


def write_visits(
    directory: Path,
    rng: random.Random,
    people: list[DemoPerson],
    first_day: date,
    last_day: date,
    counts: DemoCounts,
) -> None:
    with open_csv(directory, ImportKind.VISITS) as handle:
        handle.write(",".join(HEADERS[ImportKind.VISITS]) + "\n")
        for person in people:
            handle.writelines(_visit_lines(rng, person, first_day, last_day, counts))
