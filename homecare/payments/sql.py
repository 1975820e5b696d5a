"""The SQL every payment and hours figure is built on, in one place, written
once for PostgreSQL and SQLite: the figures must agree to the penny on both.

All arithmetic is on whole numbers. Durations are whole seconds; a rate is
whole pence an hour; seconds x pence-an-hour summed over a package's month and
divided by 3,600 (halves up) is its amount in pence, exact on either database.
"""

from __future__ import annotations

from django.db import connection


def postgres() -> bool:
    return connection.vendor == "postgresql"


def seconds(start: str, end: str) -> str:
    """Whole seconds from start to end (two timestamp columns)."""
    # Rounded to the nearest second on both. (date_part's double precision is
    # several times quicker than EXTRACT's numeric over a million rows.)
    if postgres():
        return f"CAST(date_part('epoch', {end} - {start}) AS BIGINT)"
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"


def month_of(day: str) -> str:
    """'YYYY-MM' of a date column."""
    if postgres():
        return f"to_char({day}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {day})"


def week_of(day: str) -> str:
    """The Monday of a date column's week (weeks run Monday to Sunday), as a date."""
    if postgres():
        return f"CAST(date_trunc('week', {day}) AS date)"
    return f"date({day}, 'weekday 0', '-6 days')"


def pence(units: str) -> str:
    """Seconds x pence-an-hour to whole pence, halves up. (PostgreSQL's SUM of
    integers is numeric, whose / is not whole-number division: div() is.)"""
    if postgres():
        return f"div({units} + 1800, 3600)"
    return f"(({units} + 1800) / 3600)"


def true() -> str:
    return "TRUE" if postgres() else "1"


def visit_figures(where: str) -> str:
    """Rows whose sums per package are what it is paid and the hours it counts
    for (shared/specs/payment-definitions.md), for the visits in `where` (over
    v = visits_visit; it appears twice, so its parameters are given twice):

    pay_s        payable seconds (care-worker seconds: a double-handed visit twice)
    paid         1 for a visit that is paid (0 for its care workers' rows)
    exception    1 for a completed visit on the verified basis not fully ECM-verified
    planned_s    a visit's planned length unless it was cancelled in advance
    delivered_s  a completed visit's actual length
    verified_s   the same, when every care worker's times came from ECM

    One row per visit, then one per care worker of each fully ECM-verified
    completed visit on the verified basis, which is paid by its care workers'
    own minutes.
    """
    planned = seconds("v.planned_start", "v.planned_end")
    actual = seconds("v.actual_start", "v.actual_end")
    row = seconds("vc.actual_start", "vc.actual_end")
    workers = "(CASE WHEN v.carer_count > 1 THEN v.carer_count ELSE 1 END)"
    capped = f"(CASE WHEN {row} > {planned} THEN {planned} ELSE {row} END)"
    step = "(c.rounding_minutes * 60)"
    rounded = (
        f"(CASE WHEN c.rounding_minutes IS NULL THEN {capped} "
        f"ELSE ((2 * {capped} + {step}) / (2 * {step})) * {step} END)"
    )
    short_notice = (
        "(c.short_notice_hours IS NOT NULL AND v.cancelled_at IS NOT NULL AND "
        f"{seconds('v.cancelled_at', 'v.planned_start')} < c.short_notice_hours * 3600)"
    )
    verified_basis = "COALESCE(c.payment_basis, 'planned') = 'verified'"
    ecm = f"v.ecm_verified = {true()}"
    joins = """
        JOIN contracts_carepackage p ON p.id = v.package_id
        LEFT JOIN contracts_contract c ON c.id = p.contract_id"""
    return f"""
        SELECT v.provider_id, v.package_id, v.planned_date,
            CASE
                WHEN v.status = 'missed' THEN 0
                WHEN v.status = 'cancelled' THEN
                    CASE WHEN {short_notice} THEN {planned} * {workers} ELSE 0 END
                WHEN {verified_basis} THEN 0
                ELSE {planned} * {workers}
            END AS pay_s,
            CASE WHEN (v.status = 'completed' AND NOT ({verified_basis} AND NOT ({ecm})))
                OR (v.status = 'cancelled' AND {short_notice}) THEN 1 ELSE 0 END AS paid,
            CASE WHEN v.status = 'completed' AND {verified_basis} AND NOT ({ecm})
                THEN 1 ELSE 0 END AS exception,
            CASE WHEN v.status <> 'cancelled' OR {short_notice} THEN {planned} ELSE 0 END
                AS planned_s,
            CASE WHEN v.status = 'completed' THEN {actual} ELSE 0 END AS delivered_s,
            CASE WHEN v.status = 'completed' AND {ecm} THEN {actual} ELSE 0 END AS verified_s
        FROM visits_visit v {joins}
        WHERE {where}
        UNION ALL
        SELECT v.provider_id, v.package_id, v.planned_date, {rounded}, 0, 0, 0, 0, 0
        FROM visits_visitcarer vc JOIN visits_visit v ON v.id = vc.visit_id {joins}
        WHERE {where} AND v.status = 'completed' AND {ecm} AND {verified_basis}"""


# Each dated rate with the day the next one takes over.
RATE_PERIODS = """
    SELECT contract_id, hourly_rate, effective_from AS valid_from,
        LEAD(effective_from) OVER (PARTITION BY contract_id ORDER BY effective_from) AS valid_to
    FROM contracts_contractrate"""


def package_lines(where: str, *, by_month: bool = False) -> str:
    """One row per package (and month, if asked) of the visits in `where`: its
    payable seconds, amount in pence (rounded half up once, on the line),
    exceptions, paid visits with no rate, and its planned/delivered/verified
    seconds. (`where` appears twice, see visit_figures: give its parameters twice.)

    Visits are first summed per package and day, and only those sums meet the
    dated rates: the rate is the day's, so the amount is the same, and the
    range join with the rates is made on a few rows a package, not on every visit."""
    month = f"{month_of('d.planned_date')}" if by_month else "''"
    rate = "CAST(ROUND(COALESCE(r.hourly_rate, c.hourly_rate) * 100) AS BIGINT)"
    return f"""
        SELECT {month} AS month, d.provider_id, d.package_id, MIN(c.lot_id) AS lot_id,
            SUM(d.pay_s) AS pay_s,
            {pence(f"SUM(d.pay_s * COALESCE({rate}, 0))")} AS pence,
            SUM(d.exception) AS exceptions,
            SUM(CASE WHEN {rate} IS NULL THEN d.paid ELSE 0 END) AS no_rate,
            SUM(d.planned_s) AS planned_s, SUM(d.delivered_s) AS delivered_s,
            SUM(d.verified_s) AS verified_s
        FROM (
            SELECT f.provider_id, f.package_id, f.planned_date, SUM(f.pay_s) AS pay_s,
                SUM(f.paid) AS paid, SUM(f.exception) AS exception,
                SUM(f.planned_s) AS planned_s, SUM(f.delivered_s) AS delivered_s,
                SUM(f.verified_s) AS verified_s
            FROM ({visit_figures(where)}) f
            GROUP BY f.provider_id, f.package_id, f.planned_date
        ) d
        JOIN contracts_carepackage p ON p.id = d.package_id
        LEFT JOIN contracts_contract c ON c.id = p.contract_id
        LEFT JOIN ({RATE_PERIODS}) r ON r.contract_id = p.contract_id
            AND r.valid_from <= d.planned_date
            AND (r.valid_to IS NULL OR d.planned_date < r.valid_to)
        GROUP BY {month if by_month else "1"}, d.provider_id, d.package_id"""


def tuned(sql: str) -> str:
    """A query over a month of visits, for PostgreSQL: no JIT (compiling it
    costs seconds, more than it saves on a query run once) and room to group
    by package and day in memory rather than sorting on disk. Sent as one
    string, the settings hold for this query alone (its implicit transaction)
    and cost no extra round trip."""
    if not postgres():
        return sql
    return "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; " + sql
