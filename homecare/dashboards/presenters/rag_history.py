"""How a change of RAG limits reads in a history (homecare/audit): each limit in
its own measure's unit (5.0%, 3.47), the measure by its name."""

from __future__ import annotations

from typing import Any

from homecare.audit import presenters as audit
from homecare.dashboards import rag
from homecare.dashboards.models import RagThreshold


def entry_measure(entry: Any) -> rag.Measure | None:
    # RagThreshold.__str__ is "RAG limits for <measure key>".
    return rag.MEASURES.get(entry.object_repr.rsplit(" ", 1)[-1])


def rag_subject(entry: Any) -> str:
    found = entry_measure(entry)
    return f"RAG limits for {found.label.lower()}" if found else entry.object_repr


def rag_labels(entry: Any) -> dict[str, audit.Label]:
    """A RAG limit in its measure's unit (5.0%, 3.47); the measure by its name."""
    found = entry_measure(entry)
    labels = {
        "measure": audit.Label(
            "Measure", lambda key: rag.MEASURES[key].label if key in rag.MEASURES else key
        )
    }
    if found is not None:
        for name in ("green_limit", "red_limit"):
            labels[name] = audit.Label(_verbose(name), _writer(found))
    return labels


def _writer(measure: rag.Measure) -> audit.Writer:
    return lambda value: measure.display(float(value))


def _verbose(name: str) -> str:
    return str(getattr(RagThreshold._meta.get_field(name), "verbose_name", name))
