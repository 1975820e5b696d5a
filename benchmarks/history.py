"""History for the 10M-row benchmark (benchmarks/scale10m.py): earlier months of
visits written straight into the partitioned visits tables by SQL
(INSERT ... SELECT over generate_series), not through the importer.

Importing thirteen 1M-row files would take most of an hour on this machine and
measure nothing the benchmark reports: the import is measured on the 10M month
itself. The rows are shaped as `benchmarks.datasets.write_visits` writes them
(four 30-minute calls a day for each person; 1% missed, 1% cancelled; late by
0 to 70 minutes; 0 to 12 minutes short; 3% double-handed; 90% verified by ECM;
each provider's 90 care workers, with the carer refs of the month's file), so
the stored history looks like an imported one to the KPIs and the pages. Only
packages active in a month get visits in it.

`python -m benchmarks.history YYYY-MM ROWS PEOPLE` (Django settings from the
environment) writes one month; it prints the visits and care-worker rows made.
"""

from __future__ import annotations

import calendar
import json
import sys
import time

# A visit's ECM rows: one per care worker, so double-handed visits have two.
DOUBLE_HANDED = 0.03

CARE_WORKERS = """
INSERT INTO visits_careworker (provider_id, ref)
SELECT p.id, 'C' || lpad(substr(p.ref, 3), 2, '0') || '-' || lpad(k::text, 3, '0')
FROM providers_provider p CROSS JOIN generate_series(0, 89) AS k
WHERE p.ref LIKE 'BP%%'
ON CONFLICT (provider_id, ref) DO NOTHING
"""

# One row per visit: %(first)s the month's first day, %(days)s its length,
# %(visits)s how many, %(people)s how many packages share them, %(prefix)s
# the ECM visit id's prefix. Random draws come from setseed, so a rerun makes
# the same month.
VISITS = """
WITH package AS (
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, person_id, provider_id
    FROM contracts_carepackage
    WHERE start_date <= %(last)s AND (end_date IS NULL OR end_date > %(last)s)
    ORDER BY id LIMIT %(people)s
), slot AS (
    SELECT g AS i, (g / 4) %% (SELECT COUNT(*) FROM package) AS n,
        ((g / (4 * (SELECT COUNT(*) FROM package))) %% %(days)s)::int AS day,
        (ARRAY[time '07:30', time '12:30', time '17:00', time '21:00'])[g %% 4 + 1] AS at,
        random() AS roll, random() AS late_roll, random() AS short_roll,
        random() AS double_roll, random() AS ecm_roll
    FROM generate_series(0, %(visits)s - 1) AS g
), drawn AS (
    SELECT s.*, p.id AS package_id, p.person_id, p.provider_id,
        ((%(first)s::date + s.day) + s.at) AT TIME ZONE 'Europe/London' AS planned_start,
        CASE WHEN s.roll > 0.02 THEN 'completed' WHEN s.roll > 0.01 THEN 'missed'
             ELSE 'cancelled' END AS status,
        (ARRAY[0, 2, 5, 8, 12, 20, 35, 70])[floor(s.late_roll * 8)::int + 1] AS late,
        floor(s.short_roll * 13)::int AS short
    FROM slot s JOIN package p USING (n)
)
INSERT INTO visits_visit (visit_id, planned_start, planned_end, planned_date, actual_start,
    actual_end, status, ecm_verified, carer_count, package_id, person_id, provider_id,
    cancelled_at)
SELECT %(prefix)s || lpad(i::text, 8, '0'), planned_start,
    planned_start + interval '30 minutes', %(first)s::date + day,
    CASE WHEN status = 'completed' THEN planned_start + make_interval(mins => late) END,
    CASE WHEN status = 'completed'
         THEN planned_start + make_interval(mins => late + (double_roll < %(double)s)::int
                                            + 30 - short) END,
    status, ecm_roll < 0.9,
    CASE WHEN status <> 'completed' THEN 0 WHEN double_roll < %(double)s THEN 2 ELSE 1 END,
    package_id, person_id, provider_id, NULL
FROM drawn
"""

# Each completed visit's care workers: the first, and a second one 13 along
# for a double-handed visit (write_visits' rule, on the person's id).
CARERS = """
INSERT INTO visits_visitcarer (visit_id, care_worker_id, planned_date, actual_start, actual_end,
    verification)
SELECT v.id, w.id, v.planned_date, v.actual_start + make_interval(mins => c),
    CASE WHEN c = v.carer_count - 1 THEN v.actual_end
         ELSE v.actual_end - interval '1 minute' END,
    CASE WHEN v.ecm_verified THEN 'ecm' ELSE 'manual' END
FROM visits_visit v
CROSS JOIN LATERAL generate_series(0, v.carer_count - 1) AS c
JOIN providers_provider p ON p.id = v.provider_id
JOIN visits_careworker w ON w.provider_id = v.provider_id
    AND w.ref = 'C' || lpad(substr(p.ref, 3), 2, '0') || '-'
        || lpad(((v.person_id * 7 + c * 13 + extract(day FROM v.planned_date)::int) %% 90)::text,
                3, '0')
WHERE v.planned_date BETWEEN %(first)s AND %(last)s AND v.carer_count > 0
"""


def write_month(month: str, rows: int, people: int) -> dict:
    """About `rows` ECM rows of visits in `month` (YYYY-MM), over the first
    `people` packages active in it."""
    import django

    django.setup()
    from django.db import connection, transaction

    from common.months import Month
    from visits.partitions import ensure_months, partition_name

    parsed = Month.parse(month)
    ensure_months([parsed])
    year, number = (int(part) for part in month.split("-"))
    # ECM rows per visit: completed double-handed visits have two.
    visits = round(rows / (1 + DOUBLE_HANDED * 0.98))
    params = {
        "first": parsed.first,
        "last": parsed.last,
        "days": calendar.monthrange(year, number)[1],
        "visits": visits,
        "people": people,
        "prefix": f"H{year}{number:02d}-",
        "double": DOUBLE_HANDED,
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(year * 12 + number) % 1000 / 1000])
        cursor.execute(CARE_WORKERS)
        cursor.execute(VISITS, params)
        made = cursor.rowcount
        cursor.execute(CARERS, params)
        carer_rows = cursor.rowcount
    with connection.cursor() as cursor:
        for table in ("visits_visit", "visits_visitcarer"):
            cursor.execute(f"ANALYZE {partition_name(table, parsed)}")
    return {
        "month": month,
        "visits": made,
        "carer_rows": carer_rows,
        "seconds": time.perf_counter() - started,
    }


if __name__ == "__main__":
    print(json.dumps(write_month(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
