"""Quarters of the council's financial year (April to March), as progress is
reported: "Q4 2023/24" is January to March 2024."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_KEY = re.compile(r"^(\d{4})-q([1-4])$")
EXAMPLE = "2024-q1"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the calendar year the financial year starts in (April)
    number: int  # 1 (April to June) to 4 (January to March)

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        shifted = day.month - 4  # April is month 0 of the financial year
        year = day.year if shifted >= 0 else day.year - 1
        return cls(year, shifted % 12 // 3 + 1)

    @classmethod
    def parse(cls, key: str) -> Quarter:
        """From the key in an address, like 2024-q1; ValueError otherwise."""
        found = _KEY.match(key.strip().lower())
        if not found or not 1900 <= int(found[1]) <= 2100:
            raise ValueError(key)
        return cls(int(found[1]), int(found[2]))

    @property
    def key(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def first(self) -> dt.date:
        month = 4 + (self.number - 1) * 3
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def last(self) -> dt.date:
        after = self.next.first
        return after - dt.timedelta(days=1)

    @property
    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def label(self) -> str:
        """Q4 2023/24, as councils write it."""
        return f"Q{self.number} {self.year}/{(self.year + 1) % 100:02d}"

    @property
    def months(self) -> str:
        """January to March 2024."""
        return f"{self.first:%B} to {self.last:%B %Y}"

    def __str__(self) -> str:
        return self.label


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    found, quarter = [], first
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next
    return found
