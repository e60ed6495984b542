"""The structure a plan document is turned into: plain dataclasses, serialised by ``to_dict``
to the shape of ``shared/schemas/plan.schema.json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .audiences import Audience


@dataclass
class Reference:
    kind: str
    number: str | None
    date: str | None
    issuer: str | None
    text: str
    is_basis: bool = False


@dataclass
class Section:
    label: str
    heading: str
    text: str = ""
    children: list[Section] = field(default_factory=list)
    # Not serialised: how the label was written ("roman", "decimal", "letter") and its body lines.
    style: str = ""
    lines: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "heading": self.heading,
            "text": self.text,
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Theme:
    label: str
    title: str
    parent: str | None


@dataclass
class Channel:
    kind: str
    text: str
    label: str | None = None


@dataclass
class Kpi:
    quantity: float
    unit: str
    per: str | None
    comparator: str = "="
    channels: list[str] = field(default_factory=list)


@dataclass
class Task:
    text: str
    deadline: str | None = None
    recurrence: str | None = None
    kpis: list[Kpi] = field(default_factory=list)


@dataclass
class Assignment:
    label: str | None
    units: list[str]
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Indicator:
    metric: str
    value: float
    unit: str
    year: int | None
    comparator: str = "="
    from_year: int | None = None


@dataclass
class Recipient:
    name: str
    purpose: str | None = None


@dataclass
class Signer:
    name: str | None
    position: str | None
    authority: str | None


@dataclass
class PlanDoc:
    kind: str | None = None
    kind_code: str | None = None
    number: str | None = None
    issued_on: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    references: list[Reference] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    signer: Signer | None = None
    warnings: list[str] = field(default_factory=list)
    audiences: list[Audience] = field(default_factory=list)
    # Not serialised: the normalised text the structure was read from.
    text: str = ""

    @property
    def is_plan(self) -> bool:
        return self.kind == "Kế hoạch"

    def to_dict(self) -> dict:
        data = {
            "kind": self.kind,
            "kind_code": self.kind_code,
            "number": self.number,
            "issued_on": self.issued_on,
            "place": self.place,
            "issuer": self.issuer,
            "title": self.title,
            "references": [asdict(r) for r in self.references],
            "sections": [s.to_dict() for s in self.sections],
            "themes": [asdict(t) for t in self.themes],
            "channels": [asdict(c) for c in self.channels],
            "assignments": [
                {"label": a.label, "units": a.units, "tasks": [asdict(t) for t in a.tasks]}
                for a in self.assignments
            ],
            "indicators": [asdict(i) for i in self.indicators],
            "recipients": [asdict(r) for r in self.recipients],
            "signer": asdict(self.signer) if self.signer else None,
            "warnings": self.warnings,
            "audiences": [a.to_dict() for a in self.audiences],
        }
        return data
