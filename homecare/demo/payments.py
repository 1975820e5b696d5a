"""Hours and money in the demo (issue 13), added once the market is loaded:

* contracts on both payment bases: every third contract is paid on
  ECM-verified hours (some rounded to 15 minutes), the rest on planned hours;
  all pay cancellations at under 24 hours' notice;
* dated rates: each contract's rate rose in April (contract_rates.csv), so
  months before and after it are paid at different rates;
* a few care packages over their flex: their commissioned hours were cut from
  the start of the last month (a packages.csv re-import with hours_from),
  while the provider kept planning the old hours;
* some banked time (time_bank.csv), part used in time and part expired.

The files are written beside the others and imported through the same
importers, so they can be opened, edited and loaded again by hand. Drawn
from a generator of its own, so the rest of the market is unchanged.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from contracts.imports import import_contracts, import_packages
from contracts.rates import import_contract_rates
from homecare.payments.imports import import_time_bank

RATE_RISE = Decimal("1.045")  # 4.5% from April
PACKAGES_OVER_FLEX = 4
BANKED_PACKAGES = 24


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _april_before(day: date) -> date:
    """The 1 April on or before `day`: the demo's rate rise."""
    year = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return date(year, 4, 1)


def add_payments(directory: Path, first_day: date, last_day: date, seed: int) -> None:
    rng = random.Random(f"payments-{seed}")
    rise = _april_before(last_day)
    # Contracts: payment terms, and the rate before the rise.
    header, contracts = _read(directory / "contracts.csv")
    rates = []
    for n, row in enumerate(contracts):
        verified = n % 3 == 2
        row["payment_basis"] = "verified" if verified else "planned"
        row["rounding_minutes"] = "15" if verified and n % 2 else ""
        row["short_notice_hours"] = "24"
        if row["hourly_rate"]:
            now = Decimal(row["hourly_rate"])
            # contracts.csv carries the rate before the rise; the rise is dated.
            before = (now / RATE_RISE).quantize(Decimal("0.01"))
            row["hourly_rate"] = f"{before}"
            rates.append(f"{row['contract_ref']},{rise.isoformat()},{now}")
    extra = ["payment_basis", "rounding_minutes", "short_notice_hours"]
    _write(directory / "contracts.csv", header + [c for c in extra if c not in header], contracts)
    with (directory / "contracts.csv").open("rb") as handle:
        import_contracts(handle)
    (directory / "contract_rates.csv").write_text(
        "contract_ref,effective_from,hourly_rate\n" + "\n".join(rates) + "\n", encoding="utf-8"
    )
    with (directory / "contract_rates.csv").open("rb") as handle:
        import_contract_rates(handle)

    # Packages over flex: commissioned hours cut by 8 a week from the last month.
    _, packages = _read(directory / "packages.csv")
    big = [
        p
        for p in packages
        if p["planned_weekly_hours"]
        and Decimal(p["planned_weekly_hours"]) >= 10
        and not p["end_date"]
        and p["contract_ref"]
    ]
    cut_from = last_day.replace(day=1)
    changed = rng.sample(big, min(PACKAGES_OVER_FLEX, len(big)))
    if changed:
        header = [
            "package_ref", "person_ref", "provider_ref", "contract_ref", "start_date",
            "planned_weekly_hours", "hours_from",
        ]  # fmt: skip
        rows = [
            {
                **{k: p[k] for k in header[:5]},
                "planned_weekly_hours": f"{Decimal(p['planned_weekly_hours']) - 8}",
                "hours_from": cut_from.isoformat(),
            }
            for p in sorted(changed, key=lambda p: p["package_ref"])
        ]
        _write(directory / "package_hours.csv", header, rows)
        with (directory / "package_hours.csv").open("rb") as handle:
            import_packages(handle)

    # Banked time: a deferral, then a use 1 to 5 weeks later (some too late).
    live = [p for p in packages if not p["end_date"] and p["start_date"] <= first_day.isoformat()]
    lines = []
    for p in sorted(
        rng.sample(live, min(BANKED_PACKAGES, len(live))), key=lambda p: p["package_ref"]
    ):
        deferred = first_day + timedelta(days=rng.randrange(0, 45))
        minutes = rng.choice((30, 45, 60))
        lines.append(f"{p['package_ref']},{deferred},{minutes},chose to defer the visit")
        used = deferred + timedelta(days=rng.randrange(7, 36))
        if used <= last_day:
            lines.append(f"{p['package_ref']},{used},-{minutes},banked time used")
    (directory / "time_bank.csv").write_text(
        "package_ref,date,minutes,note\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    with (directory / "time_bank.csv").open("rb") as handle:
        import_time_bank(handle)
