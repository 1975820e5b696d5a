"""The visits.csv row rules as set-based SQL over the raw text, for PostgreSQL.

`visits/rows.py` is the one statement of the rules and the only writer of the
report's messages. This module is a fast filter in front of it: one INSERT ...
SELECT types the raw cells of every row (as COPY left them, all text) and marks
a row `ok` only when it is certainly one the Python rules accept with the very
same values. Every other row (a bad value, or merely a shape this SQL does not
take, such as a time with a UTC offset or a care worker ref with an accent) is
handed to the Python rules, which say what is wrong with it, or accept it.

So the SQL may be stricter than the rules, never looser: each test below is a
sufficient condition for the rule, written so that no cast can fail (a bad
value is a NULL here, not an error that aborts the statement).

The LATERAL steps end in OFFSET 0 so PostgreSQL computes each once per row:
without it the planner pulls them up into the outer query and repeats each
trimmed cell in every expression that names it, many times over.
"""

from __future__ import annotations

from common.cells import FALSE_WORDS, TRUE_WORDS
from visits.rows import CARER_REF_LENGTH, STATUSES, VERIFICATION_LENGTH, VISIT_ID_LENGTH

LONDON = "'Europe/London'"
# What Python's str.strip() takes off a cell of a file the reader found clean:
# other whitespace characters are control characters, and such a file never
# reaches this path.
TRIM = "E' \\t'"
# Years 1900 to 2100 are leap years when their last two digits divide by 4,
# but for 1900 and 2100; 2000 is one.
_LEAP_ENDINGS = ", ".join(f"'{n:02d}'" for n in range(4, 100, 4))


def trimmed(cell: str) -> str:
    return f"btrim(COALESCE({cell}, ''), {TRIM})"


def local_time_shape(s: str) -> str:
    """True only for a valid 'YYYY-MM-DDTHH:MM:SS' (or with a space), its date
    within 1900-01-01 to 2100-12-31: the usual ECM shape. The calendar is
    checked digit by digit, so the cast that follows cannot fail."""
    year = f"substr({s}, 1, 4)"
    month = f"substr({s}, 6, 2)"
    day = f"substr({s}, 9, 2)"
    leap = f"(substr({s}, 3, 2) IN ({_LEAP_ENDINGS}) OR {year} = '2000')"
    last_day = (
        f"CASE {month} WHEN '02' THEN CASE WHEN {leap} THEN '29' ELSE '28' END "
        "WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' "
        "ELSE '31' END"
    )
    return (
        f"(length({s}) = 19 AND translate({s}, '0123456789', '') IN ('--T::', '-- ::') "
        f"AND {year} BETWEEN '1900' AND '2100' AND {month} BETWEEN '01' AND '12' "
        f"AND {day} BETWEEN '01' AND {last_day} AND substr({s}, 12, 2) < '24' "
        f"AND substr({s}, 15, 2) < '60' AND substr({s}, 18, 2) < '60')"
    )


def london_to_utc(s: str, ts: str) -> str:
    """The instant the local time `ts` (parsed from the text `s`) names, as
    Python's LondonClock reads it: in the repeated hour when the clocks go
    back, the first (BST) one; NULL for a time in the hour skipped when they go
    forward. Since 1981 London changes only at 01:00 UTC, so only local hour 01
    (and earlier years) need the careful form."""
    later = f"({ts} AT TIME ZONE {LONDON})"
    earlier = f"({later} - interval '1 hour')"
    careful = (
        f"CASE WHEN ({earlier} AT TIME ZONE {LONDON}) = {ts} THEN {earlier} "
        f"WHEN ({later} AT TIME ZONE {LONDON}) = {ts} THEN {later} END"
    )
    return f"CASE WHEN substr({s}, 12, 2) = '01' OR {s} < '1981' THEN {careful} ELSE {later} END"


def local_time(s: str, *, quick: bool) -> str:
    """The text as a local timestamp, or NULL when it is not of the usual shape.
    The quick form lets PostgreSQL's parser judge the calendar (a day 31 of a
    30-day month makes the statement fail, and the caller runs the careful
    form); `exactly` then keeps only what it parsed without reinterpreting."""
    if quick:
        shape = (
            f"length({s}) = 19 AND substr({s}, 11, 1) IN ('T', ' ') "
            f"AND {s} >= '1900' AND {s} < '2101'"
        )
    else:
        shape = local_time_shape(s)
    return f"CASE WHEN {shape} THEN {s}::timestamp END"


def exactly(s: str, ts: str) -> str:
    """True when the timestamp prints as the text did: PostgreSQL's parser
    forgives what the rules refuse (24:00:00, a 60th second), and those print
    otherwise. (The caller sets DateStyle to ISO for the statement.)"""
    return f"overlay({s} placing ' ' from 11 for 1) = {ts}::text"


def plain_ref(s: str) -> str:
    """common.cells' plain reference (a letter or digit, then letters, digits,
    spaces, '-', '_' or '.'), without a regular expression: the translate
    leaves nothing of a plain ref."""
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return (
        f"(translate({s}, '{alnum} ._-', '') = '' AND translate(left({s}, 1), '{alnum}', '') = '')"
    )


def typing_sql(
    *,
    stage: str,
    raw: str,
    cell: dict[str, str],
    ascii_file: bool,
    provider_scoped: bool,
    quick: bool = True,
) -> str:
    """INSERT the typed form of every raw row into the stage, each with `ok`.
    `cell` maps a column name to its raw column (or a literal NULL when the file
    lacks it). Parameters: kept_from (a date) and, when provider_scoped, provider."""
    t = {name: trimmed(expr) for name, expr in cell.items()}
    statuses = ", ".join(f"'{s}'" for s in sorted(STATUSES))
    ascii_rows = (
        "TRUE"
        if ascii_file
        else "(" + " || ".join(f"COALESCE({expr}, '')" for expr in cell.values()) + ") ~ '^[ -~]*$'"
    )
    scope = "AND p.provider_id = %(provider)s" if provider_scoped else ""
    # time_critical (optional, issue 15): 1 or 0 as visits/rows.py stages it;
    # NULL for a word that is neither, which the Python rules then report.
    true_words = ", ".join(f"'{w}'" for w in sorted(TRUE_WORDS))
    false_words = ", ".join(f"'{w}'" for w in sorted(FALSE_WORDS | {""}))
    time_critical = (
        f"CASE WHEN lower({t['time_critical']}) IN ({true_words}) THEN 1 "
        f"WHEN lower({t['time_critical']}) IN ({false_words}) THEN 0 END"
    )

    def to_utc(name: str) -> str:
        text, ts = f"c.{name}", f"l.{name}"
        check = f" AND {exactly(text, ts)}" if quick else ""
        return f"CASE WHEN {ts} IS NOT NULL{check} THEN {london_to_utc(text, ts)} END"

    ok = f"""
        c.ascii_row
        AND c.visit_id <> '' AND length(c.visit_id) <= {VISIT_ID_LENGTH}
        AND p.id IS NOT NULL {scope}
        AND c.status IN ({statuses})
        AND c.time_critical IS NOT NULL
        AND u.planned_start IS NOT NULL AND u.planned_end IS NOT NULL
        AND u.planned_end > u.planned_start
        AND left(c.planned_start, 10) >= %(kept_from)s
        AND (c.carer_ref IS NULL
             OR (length(c.carer_ref) <= {CARER_REF_LENGTH} AND {plain_ref("c.carer_ref")}))
        AND (c.verification IS NULL OR length(c.verification) <= {VERIFICATION_LENGTH})
        AND CASE WHEN c.status = 'completed' THEN
                c.carer_ref IS NOT NULL AND u.actual_start IS NOT NULL
                AND u.actual_end IS NOT NULL AND u.actual_end > u.actual_start
            ELSE c.actual_start = '' AND c.actual_end = '' END"""
    return f"""
        INSERT INTO {stage} (line, ok, provider_id, package_id, person_id, visit_id, carer_ref,
            planned_start, planned_end, planned_date, actual_start, actual_end, status,
            verification, time_critical)
        SELECT r.n + 1, COALESCE({ok}, FALSE), p.provider_id, p.id, p.person_id,
            c.visit_id, c.carer_ref, u.planned_start, u.planned_end,
            CASE WHEN u.planned_start IS NOT NULL THEN left(c.planned_start, 10)::date END,
            CASE WHEN c.status = 'completed' THEN u.actual_start END,
            CASE WHEN c.status = 'completed' THEN u.actual_end END,
            c.status, c.verification, COALESCE(c.time_critical, 0)
        FROM {raw} r
        CROSS JOIN LATERAL (SELECT
            {t["visit_id"]} AS visit_id, {t["package_ref"]} AS package_ref,
            NULLIF({t["carer_ref"]}, '') AS carer_ref, lower({t["status"]}) AS status,
            NULLIF(lower({t["verification"]}), '') AS verification,
            {t["planned_start"]} AS planned_start, {t["planned_end"]} AS planned_end,
            {t["actual_start"]} AS actual_start, {t["actual_end"]} AS actual_end,
            {time_critical} AS time_critical,
            {ascii_rows} AS ascii_row OFFSET 0) c
        CROSS JOIN LATERAL (SELECT
            {local_time("c.planned_start", quick=quick)} AS planned_start,
            {local_time("c.planned_end", quick=quick)} AS planned_end,
            CASE WHEN c.status = 'completed' THEN {local_time("c.actual_start", quick=quick)} END
                AS actual_start,
            CASE WHEN c.status = 'completed' THEN {local_time("c.actual_end", quick=quick)} END
                AS actual_end OFFSET 0) l
        CROSS JOIN LATERAL (SELECT
            {to_utc("planned_start")} AS planned_start, {to_utc("planned_end")} AS planned_end,
            {to_utc("actual_start")} AS actual_start, {to_utc("actual_end")} AS actual_end
            OFFSET 0) u
        LEFT JOIN contracts_carepackage p ON p.ref = c.package_ref"""
