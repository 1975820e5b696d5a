"""Write small CSV files for import tests."""

from __future__ import annotations

from pathlib import Path

VISIT_HEADER = (
    "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,status,"
    "verification"
)


def write_csv(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


REFERENCE_FILES = {
    "providers": """
provider_ref,name,cqc_provider_id,cqc_location_id,cqc_rating,cqc_rating_date,region
P01,Alpha Home Care,1-101234567,1-202345678,Good,2025-03-14,North
P02,Beta Care Services,,,,,South
""",
    "contracts": """
contract_ref,provider_ref,framework,lot,start_date,end_date,hourly_rate
C-001,P01,Care and Wellbeing 2024-2031,Lot 2 - North East,2024-04-01,,22.96
C-002,P02,Care and Wellbeing 2024-2031,Lot 1 - Central,2024-04-01,2031-03-31,23.10
""",
    "people": """
person_ref,lives_alone,lacks_capacity,postcode_district
007,yes,N,S8
R2,false,1,S11
""",
    "packages": """
package_ref,person_ref,provider_ref,contract_ref,start_date,end_date,planned_weekly_hours,requested_at,hospital_discharge
K1,007,P01,C-001,2026-09-01,,14.5,2026-08-28T10:15:00,yes
K2,R2,P02,,2026-09-15,2026-12-01,7,,
""",
    "reviews": """
review_ref,package_ref,review_date,review_type
RV1,K1,2026-10-13,six_week
RV2,K2,2026-10-27,change_of_need
""",
    "visits": f"""
{VISIT_HEADER}
V1,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:30:00,2026-10-05T08:00:00,completed,ecm
V2,K1,C1,2026-10-25T01:30:00,2026-10-25T02:00:00,2026-10-25T01:40:00,2026-10-25T02:05:00,completed,ecm
V2,K1,C2,2026-10-25T01:30:00,2026-10-25T02:00:00,2026-10-25T01:45:00,2026-10-25T02:00:00,completed,manual
V3,K2,,2026-10-31T23:30:00,2026-11-01T00:00:00,,,missed,
V4,K2,,2026-10-20T12:00:00Z,2026-10-20T12:30:00Z,,,cancelled,
""",
}

ORDER = ["providers", "contracts", "people", "packages", "reviews", "visits"]
