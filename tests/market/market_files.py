# ruff: noqa: E501
"""A small market in CSV files: the reference files plus requests, a second
package and CQC ratings, loaded through import_csv as a council would."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from tests.csvfiles import REFERENCE_FILES, VISIT_HEADER, write_csv

FILES = dict(REFERENCE_FILES)
FILES["people"] = """
person_ref,lives_alone,lacks_capacity,postcode_district
007,yes,N,S8
R2,false,1,S11
R3,,,S8
R4,,,S11
"""
FILES["packages"] = """
package_ref,person_ref,provider_ref,contract_ref,start_date,end_date,planned_weekly_hours,requested_at,hospital_discharge,request_ref
K1,007,P01,C-001,2026-09-01,,14.5,2026-08-28T10:15:00,yes,
K2,R2,P02,,2026-09-15,2026-12-01,7,,,
K3,R3,P02,C-002,2026-10-03,,10,,yes,Q3
"""
FILES["visits"] = f"""
{VISIT_HEADER}
V1,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:30:00,2026-10-05T08:00:00,completed,ecm
V2,K1,C1,2026-10-25T01:30:00,2026-10-25T02:00:00,2026-10-25T01:40:00,2026-10-25T02:05:00,completed,ecm
V2,K1,C2,2026-10-25T01:30:00,2026-10-25T02:00:00,2026-10-25T01:45:00,2026-10-25T02:00:00,completed,manual
V3,K2,,2026-10-31T23:30:00,2026-11-01T00:00:00,,,missed,
V5,K3,C9,2026-10-03T09:00:00,2026-10-03T10:00:00,2026-10-03T09:00:00,2026-10-03T10:00:00,completed,ecm
V6,K3,C9,2026-10-04T09:00:00,2026-10-04T10:00:00,2026-10-04T09:00:00,2026-10-04T11:00:00,completed,ecm
"""
# Q1: placed, started on K1 well after 48 h; Q2 open since September (over 28
# days at the end of October); Q3 hospital, started on K3 (which names it)
# exactly 48 h after the request; Q4 withdrawn after the month; Q5 open, a
# day old at the month's end, lot from the person's district map (none here).
FILES["requests"] = """
request_ref,person_ref,requested_at,source,lot,weekly_hours,status,placed_at,package_ref,withdrawn_at,withdrawn_reason,extra
Q1,007,2026-08-28T10:15:00,hospital,Lot 2 - North East,14.5,placed,2026-08-30T09:00:00,K1,,,x
Q2,R2,2026-09-20T08:00:00,community,Lot 1 - Central,7.25,open,,,,,
Q3,R3,2026-10-01T09:00:00,hospital,,10,placed,2026-10-02T12:00:00,,,,
Q4,R4,2026-10-20T10:00:00,reablement,Lot 1 - Central,,withdrawn,,,2026-11-03T10:00:00,"Family care, for now",
Q5,R4,2026-10-31T00:00:00Z,other,,3,open,,,,,
"""
FILES["cqc_ratings"] = (
    "\ufeffLocation ID,Location Name,Location Type,Provider ID,Provider Name,"
    "Service / Population Group,Domain,Latest Rating,Publication Date,Report Type,"
    "Inherited Rating (Y/N),URL,Region\n"
    '1-202345678,"Alpha Home Care, North",Social Care Org,1-101234567,Alpha,Overall,'
    "Overall,Requires improvement,14/08/2026,Location,N,https://www.cqc.org.uk/location/1-202345678,North\n"
    '1-202345678,"Alpha Home Care, North",Social Care Org,1-101234567,Alpha,Overall,'
    "Safe,Inadequate,14/08/2026,Location,N,https://www.cqc.org.uk/location/1-202345678,North\n"
    '1-999999999,"Somebody Else, Ltd",Social Care Org,1-1,Other,Overall,'
    "Overall,Good,01/01/2026,Location,N,,South\n"
)
KINDS = [
    "providers",
    "contracts",
    "people",
    "packages",
    "visits",
    "requests",
    "cqc_ratings",
]


def write_market(directory: Path) -> dict[str, Path]:
    return {kind: write_csv(directory, f"{kind}.csv", FILES[kind].lstrip("\n")) for kind in KINDS}


def load_market(directory: Path) -> None:
    for kind, path in write_market(directory).items():
        call_command("import_csv", kind, str(path), stdout=StringIO())
