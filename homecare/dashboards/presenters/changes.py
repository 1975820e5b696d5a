"""What changed this month (issue 15, item 7): which providers changed RAG
status on a measure since last month, and the biggest movements, in plain
sentences, worked out from the stored results (the ratings as they were
reported, never re-rated). The market page and the market pack both show
`MonthChanges.load(month)`, so the two say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.months import Month
from homecare.dashboards import rag, selectors
from homecare.dashboards.presenters import figures as parts
from homecare.ui import formats

# A long list of colour changes helps nobody at the top of a page: the worst
# come first and the rest are counted in one sentence.
MOST_CHANGES = 12


@dataclass(frozen=True)
class RagChange:
    provider: str
    measure: rag.Measure
    before: rag.Rating
    after: rag.Rating

    @property
    def worse(self) -> bool:
        return rag.SEVERITY[self.after.status] > rag.SEVERITY[self.before.status]

    @property
    def sentence(self) -> str:
        """Acme Care moved from amber to red on late visits (8.2% → 12.5%)."""
        return (
            f"{self.provider} moved from {self.before.label.lower()} to "
            f"{self.after.label.lower()} on {self.measure.label[0].lower()}"
            f"{self.measure.label[1:]} ({self.before.display} → {self.after.display})."
        )


@dataclass(frozen=True)
class Movement:
    provider: str
    measure: rag.Measure
    before: float
    after: float

    @property
    def size(self) -> float:
        return abs(self.after - self.before)

    @property
    def worse(self) -> bool:
        up = self.after > self.before
        return up if self.measure.lower_is_better else not up

    @property
    def by(self) -> str:
        """How far, in the measure's unit: percentages move by points."""
        if self.measure.unit == "percent":
            amount = f"{self.size:,.1f} percentage points"
        else:
            amount = self.measure.display(self.size)
        return f"{'up' if self.after > self.before else 'down'} {amount}"

    @property
    def sentence(self) -> str:
        """The biggest movement on missed visits: Beta Care, 0.5% → 3.1%
        (up 2.6 percentage points, worse)."""
        label = self.measure.label[0].lower() + self.measure.label[1:]
        return (
            f"The biggest movement on {label}: {self.provider}, "
            f"{self.measure.display(self.before)} → {self.measure.display(self.after)} "
            f"({self.by}, {'worse' if self.worse else 'better'})."
        )


@dataclass
class MonthChanges:
    month: Month
    compared: bool  # last month has results to compare with
    changes: list[RagChange] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    first_results: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, month: Month) -> MonthChanges:
        """One query: every provider's rows of this month and last month."""
        previous = month.previous()
        rows = selectors.provider_rows_of([previous.first, month.first])
        now: dict[int, tuple[str, dict[str, rag.Rating]]] = {}
        before: dict[int, dict[str, rag.Rating]] = {}
        for row in rows:
            if row.provider is None:
                continue
            ratings = parts.stored_ratings(row)
            if row.month == month.first:
                now[row.provider.pk] = (row.provider.name, ratings)
            else:
                before[row.provider.pk] = ratings
        out = cls(month, compared=bool(before))
        best: dict[str, Movement] = {}
        for provider_id, (name, ratings) in now.items():
            earlier = before.get(provider_id)
            if earlier is None:
                out.first_results.append(name)
                continue
            for key, after in ratings.items():
                was = earlier.get(key)
                if was is None:
                    continue
                if rag.NO_DATA not in (was.status, after.status) and was.status != after.status:
                    out.changes.append(RagChange(name, after.measure, was, after))
                if was.value is not None and after.value is not None:
                    move = Movement(name, after.measure, float(was.value), float(after.value))
                    # Ties go to the first by name (rows come in name order).
                    if move.size > 0 and (key not in best or move.size > best[key].size):
                        best[key] = move
        # Worse first, then by how far the colour moved, then by name.
        out.changes.sort(
            key=lambda c: (
                not c.worse,
                -abs(rag.SEVERITY[c.after.status] - rag.SEVERITY[c.before.status]),
                c.provider,
                c.measure.label,
            )
        )
        out.movements = [best[m.key] for m in rag.MEASURE_LIST if m.key in best]
        return out

    @property
    def month_label(self) -> str:
        return formats.month_name(self.month.first)

    @property
    def since(self) -> str:
        return formats.month_name(self.month.previous().first)

    @property
    def summary(self) -> str:
        """The opening sentence."""
        if not self.compared:
            return f"There are no provider results for {self.since} to compare with."
        if not self.changes:
            return f"No provider changed RAG status on any measure since {self.since}."
        worse = sum(1 for c in self.changes if c.worse)
        better = len(self.changes) - worse
        providers = len({c.provider for c in self.changes})
        if worse and better:
            which = f"{formats.count(worse)} worse and {formats.count(better)} better"
        else:
            which = ("all " if len(self.changes) > 1 else "") + (
                "for the worse" if worse else "for the better"
            )
        return (
            f"{formats.counted(providers, ('provider', 'providers'))} changed RAG status "
            f"since {self.since}: {formats.counted(len(self.changes), ('change', 'changes'))}, "
            f"{which}."
        )

    @property
    def change_sentences(self) -> list[str]:
        shown = [c.sentence for c in self.changes[:MOST_CHANGES]]
        rest = len(self.changes) - MOST_CHANGES
        if rest > 0:
            shown.append(
                f"And {formats.counted(rest, ('more change', 'more changes'))} of RAG status."
            )
        return shown

    @property
    def movement_sentences(self) -> list[str]:
        return [m.sentence for m in self.movements]

    @property
    def first_results_sentence(self) -> str:
        if not self.compared or not self.first_results:
            return ""
        names = ", ".join(sorted(self.first_results))
        return (
            f"{formats.counted(len(self.first_results), ('provider has', 'providers have'))} "
            f"results for the first time: {names}."
        )
