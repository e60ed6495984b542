"""Bulk entry of activities from a CSV or XLSX file, one row per activity.

In: the bytes of an upload, the person importing and the units they may write
(``scope_for(user).writable_units()``). Out: a :class:`BulkResult` — how many activities were
created, updated or left unchanged, and one :class:`RowError` per problem (row number in the
sheet, column, Vietnamese message, the value as written). Every data row is either saved or
listed with its reasons; none is dropped silently. The file itself is read by the pure
``tabular`` module; an unreadable file (or one missing required columns) raises ``TabularError``.

Columns (header as in the template; the English key is accepted too, and so are the written-out
Vietnamese headers such as "Đơn vị" or "Lượt xem"):

========================  =================================================================
``ma`` / external_id      required; the row's stable id within its unit: importing the file
                          again updates the activity instead of adding a second one
``ngay`` / date           required; dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy) or yyyy-mm-dd
``don_vi`` / unit         a unit name, alias or id among the writable units (may be left
                          empty when the person writes exactly one unit)
``kenh`` / channel        a ``ChannelKind`` code or its label, or a part of the label
                          ("mạng xã hội", "phát thanh")
``hinh_thuc`` / form      an ``ActivityForm`` code or label ("tin", "Bài viết", "hoi_nghi")
``so_luong`` / quantity   whole number ≥ 1, default 1
``tieu_de`` / title       required, at most 500 characters
``duong_dan`` / link      http(s) address
``tom_tat`` / summary
``nhiem_vu`` / tasks      task numbers separated by ";", each assigned to the row's unit
``chu_de`` / themes       theme labels ("1.2") of the tasks' plan (or, without tasks, of the
                          plans the unit carries out), separated by ";"
``doi_tuong`` / audiences ``Audience`` codes or labels separated by ";"
``luot_xem`` views, ``luot_chia_se`` shares, ``nguoi_tham_du`` participants, ``so_ban``
copies: whole numbers ≥ 0 ("1.200" reads as 1200)
========================  =================================================================

Values are stripped. A cell starting with "=" is text: it is stored as written, never evaluated;
anything exporting it must pass it through ``tabular.neutralise`` (the template and the error
report do). A leading "'" that ``neutralise`` added (a re-imported error report) is taken off.

Cost: a fixed handful of queries to resolve units, assignments, themes and existing activities,
then one ``record_activity`` (new row) or ``update_activity`` (changed row) per row, committed in
batches of :data:`BATCH` rows with ``progress`` called after each batch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.org.models import Unit, UnitAlias
from loa.org.text import fold, name_key
from loa.plans.models import ChannelKind, Task, TaskAssignment, Theme

from . import tallies
from .models import Activity, ActivityForm, Audience
from .services import record_activity
from .tabular import DEFAULT_MAX_ROWS, TableRow, TabularError, read_table

Progress = Callable[[int, str], None]

BATCH = 200
EXAMPLE_PREFIX = "VI-DU-"
MAX_INT = 2_147_483_647
_CHUNK = 500


@dataclass(frozen=True)
class Column:
    key: str  # Vietnamese header, as written in the template
    field: str  # English key, also accepted as a header
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("ma", "external_id", True),
    Column("ngay", "date", True),
    Column("don_vi", "unit", True),
    Column("kenh", "channel", True),
    Column("hinh_thuc", "form", True),
    Column("so_luong", "quantity"),
    Column("tieu_de", "title", True),
    Column("duong_dan", "link"),
    Column("tom_tat", "summary"),
    Column("nhiem_vu", "tasks"),
    Column("chu_de", "themes"),
    Column("doi_tuong", "audiences"),
    Column("luot_xem", "views"),
    Column("luot_chia_se", "shares"),
    Column("nguoi_tham_du", "participants"),
    Column("so_ban", "copies"),
)
_HEADER_ALIASES = {
    "task": "nhiem_vu",
    "task_id": "nhiem_vu",
    "task_ids": "nhiem_vu",
    "theme": "chu_de",
    "audience": "doi_tuong",
    "ma_hoat_dong": "ma",
    "so_nguoi_tham_du": "nguoi_tham_du",
    "unit_id": "don_vi",
}
_HEADERS = {c.key: c.key for c in COLUMNS} | {c.field: c.key for c in COLUMNS} | _HEADER_ALIASES
_NUMBER_COLUMNS = {
    "luot_xem": "views",
    "luot_chia_se": "shares",
    "nguoi_tham_du": "participants",
    "so_ban": "copies",
}

UPDATABLE_FIELDS = (
    "date",
    "channel",
    "form",
    "quantity",
    "title",
    "link",
    "summary",
    "themes",
    "tasks",
    "audiences",
    "views",
    "shares",
    "participants",
    "copies",
)


@dataclass
class RowError:
    row: int  # 1-based row number in the sheet
    column: str  # the column's header as written in the file ("" for the whole row)
    message_vi: str
    value: str = ""


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0  # data rows read from the file
    warnings: list[str] = field(default_factory=list)  # file-level notes (ignored columns)

    @property
    def rejected(self) -> int:
        """Rows not saved (each has at least one error)."""
        return len({e.row for e in self.errors})


def _noop(percent: int, stage: str) -> None:
    return None


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


def _jsonable(name: str, value: Any) -> Any:
    if name in ("tasks", "themes"):
        return sorted(getattr(v, "pk", v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "audiences":
        return list(value)
    return value


def activity_changes(activity: Activity, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (before, after)}`` for each of ``fields`` that differs from ``activity``, as JSON
    values (dates in ISO form, tasks and themes as sorted ids)."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in fields.items():
        old = getattr(activity, name).all() if name in ("tasks", "themes") else getattr(activity, name)
        before, after = _jsonable(name, old), _jsonable(name, new)
        if before != after:
            changes[name] = (before, after)
    return changes


def update_activity(*, activity: Activity, actor, **fields: Any) -> Activity:
    """Change some of ``activity``'s fields (any of :data:`UPDATABLE_FIELDS`; its unit and external
    id stay). Same checks as ``record_activity``. Nothing is written when nothing changes; a change
    is audited as ``activities.activity.updated`` with the changed fields before and after. Tasks
    and themes are checked (assigned to the unit, of its plans) when they change."""
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_activity() got unexpected fields: {', '.join(sorted(unknown))}")
    if "title" in fields:
        title = str(fields["title"]).strip()
        if not title:
            raise ValidationError(_("Hoạt động cần có tiêu đề."))
        fields["title"] = title[:500]
    if "quantity" in fields:
        fields["quantity"] = max(1, int(fields["quantity"]))
    if "channel" in fields and fields["channel"] not in ChannelKind.values:
        raise ValidationError(_("Kênh không hợp lệ."))
    if "form" in fields and fields["form"] not in ActivityForm.values:
        raise ValidationError(_("Hình thức không hợp lệ."))
    if "audiences" in fields:
        fields["audiences"] = list(fields["audiences"])
        if set(fields["audiences"]) - set(Audience.values):
            raise ValidationError(_("Đối tượng không hợp lệ."))
    changes = activity_changes(activity, fields)
    if not changes:
        return activity
    # Tasks and themes are checked when they change (what is kept was checked when it was set).
    if "tasks" in changes and fields["tasks"]:
        task_ids = {t.pk for t in fields["tasks"]}
        assigned = set(
            TaskAssignment.objects.filter(unit_id=activity.unit_id, task_id__in=task_ids)
            .order_by()
            .values_list("task_id", flat=True)
        )
        if task_ids - assigned:
            raise ValidationError(_("Nhiệm vụ được chọn không được giao cho đơn vị này."))
    if "themes" in changes and fields["themes"]:
        theme_ids = {t.pk for t in fields["themes"]}
        plans = TaskAssignment.objects.filter(unit_id=activity.unit_id).order_by().values("task__document_id")
        allowed = Theme.objects.filter(pk__in=theme_ids, version__document_id__in=plans).count()
        if allowed != len(theme_ids):
            raise ValidationError(_("Chủ đề được chọn không thuộc kế hoạch mà đơn vị thực hiện."))
    with transaction.atomic():
        touched = tallies.documents_of(activity)
        scalars = [name for name in changes if name not in ("tasks", "themes")]
        for name in scalars:
            setattr(activity, name, fields[name])
        if scalars:
            activity.save(update_fields=scalars)
        if "tasks" in changes:
            activity.tasks.set(fields["tasks"])
        if "themes" in changes:
            activity.themes.set(fields["themes"])
        tallies.touch(unit_id=activity.unit_id, document_ids=touched | tallies.documents_of(activity))
        log_action(
            "activities.activity.updated",
            activity,
            actor=actor,
            data={
                "before": {name: before for name, (before, _after) in changes.items()},
                "after": {name: after for name, (_before, after) in changes.items()},
            },
        )
    return activity


# ---------------------------------------------------------------------------------------------
# Reading cells
# ---------------------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    text = re.sub(r"\(.*?\)|\*", " ", text)
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def _cell(values: dict[str, str], header: str | None) -> str:
    if header is None:
        return ""
    value = values.get(header, "").strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        value = value[1:]  # written by tabular.neutralise on an export
    return value


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd (a time after it is ignored)."""
    text = _TIME.sub("", text.strip())
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _YMD.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_INT = re.compile(r"^-?\d+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_ZERO_FRACTION = re.compile(r"^(-?\d+)[.,]0+$")


def parse_int(text: str) -> int | None:
    """A whole number: "12", "1.200" or "1,200" (thousands), "12.0"; ``None`` otherwise."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if _INT.match(text):
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"[.,]", "", text))
    if m := _ZERO_FRACTION.match(text):
        return int(m.group(1))
    return None


def _split(text: str, pattern: str = r"[;\n]") -> list[str]:
    seen: dict[str, None] = {}
    for part in re.split(pattern, text):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _choice_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


class _Choices:
    """Codes of a TextChoices class found by code, label (Vietnamese or current language) or a
    comma-separated part of the label ("mạng xã hội" for "Mạng xã hội, nền tảng số")."""

    def __init__(self, choices: type) -> None:
        full: dict[str, set[str]] = defaultdict(set)
        parts: dict[str, set[str]] = defaultdict(set)
        for language in {None, "en", translation.get_language()}:
            with translation.override(language):
                for code, label in choices.choices:
                    label = str(label)
                    for key in (code, code.replace("_", " "), label):
                        full[_choice_key(key)].add(code)
                    for part in re.split(r"[,/;]", label):
                        parts[_choice_key(part)].add(code)
        self.keys = {k: next(iter(v)) for k, v in parts.items() if len(v) == 1 and k}
        self.keys.update({k: next(iter(v)) for k, v in full.items() if len(v) == 1 and k})
        with translation.override(None):
            self.labels = ", ".join(str(label) for _code, label in choices.choices)

    def find(self, text: str) -> str | None:
        return self.keys.get(_choice_key(text))


# ---------------------------------------------------------------------------------------------
# Resolving units, tasks and themes (a few queries for the whole file)
# ---------------------------------------------------------------------------------------------


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Units:
    """The writable units a file names, looked up by id, name key or alias key."""

    def __init__(self, units: QuerySet[Unit] | Sequence[Unit]) -> None:
        if isinstance(units, QuerySet):
            self.writable = units.order_by()
        else:
            self.writable = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.writable = self.writable.filter(merged_into__isnull=True)
        only = list(self.writable[:2])
        self.only: Unit | None = only[0] if len(only) == 1 else None
        self.by_id: dict[int, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        self.by_alias: dict[str, list[Unit]] = defaultdict(list)
        self.elsewhere_ids: set[int] = set()
        self.elsewhere_keys: set[str] = set()

    def load(self, texts: set[str]) -> None:
        """Fetch the units ``texts`` may name: writable ones, then which others exist at all."""
        ids = sorted({int(t) for t in texts if t.isdigit()})
        keys = sorted({name_key(t) for t in texts if not t.isdigit()} - {""})
        for chunk in _chunks(ids):
            for unit in self.writable.filter(pk__in=chunk):
                self.by_id[unit.pk] = unit
        for chunk in _chunks(keys):
            for unit in self.writable.filter(normalized_name__in=chunk):
                self.by_id.setdefault(unit.pk, unit)
                self.by_name[unit.normalized_name].append(unit)
            aliases = UnitAlias.objects.filter(
                normalized_name__in=chunk, unit__in=self.writable.values("pk")
            ).select_related("unit")
            for alias in aliases:
                if alias.unit not in self.by_alias[alias.normalized_name]:
                    self.by_alias[alias.normalized_name].append(alias.unit)
        missing_ids = [i for i in ids if i not in self.by_id]
        missing_keys = [k for k in keys if k not in self.by_name and k not in self.by_alias]
        for chunk in _chunks(missing_ids):
            self.elsewhere_ids.update(Unit.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        for chunk in _chunks(missing_keys):
            self.elsewhere_keys.update(
                Unit.objects.filter(normalized_name__in=chunk).values_list("normalized_name", flat=True)
            )
            self.elsewhere_keys.update(
                UnitAlias.objects.filter(normalized_name__in=chunk).values_list("normalized_name", flat=True)
            )

    def find(self, text: str) -> tuple[Unit | None, str]:
        """The unit ``text`` names, or ``None`` and the reason in Vietnamese."""
        if not text:
            if self.only is not None:
                return self.only, ""
            return None, _("Chưa ghi đơn vị.")
        if text.isdigit():
            unit = self.by_id.get(int(text))
            exists = int(text) in self.elsewhere_ids
        else:
            key = name_key(text)
            matches = self.by_name.get(key) or self.by_alias.get(key) or []
            if len(matches) > 1:
                return None, _(
                    "“{value}” trùng tên với nhiều đơn vị; hãy ghi tên đầy đủ hoặc mã số của đơn vị."
                ).format(value=text)
            unit = matches[0] if matches else None
            exists = key in self.elsewhere_keys
        if unit is not None:
            return unit, ""
        if exists:
            return None, _("Đơn vị “{value}” không thuộc phạm vi bạn được nhập số liệu.").format(value=text)
        return None, _("Không tìm thấy đơn vị “{value}”; hãy ghi đúng tên đơn vị trong danh mục.").format(
            value=text
        )


class _Plans:
    """Assignments of the units a file names, and the themes of those plans' current versions."""

    def __init__(self, unit_ids: set[int]) -> None:
        self.assigned: set[tuple[int, int]] = set()
        self.task_version: dict[int, int | None] = {}
        self.unit_versions: dict[int, set[int]] = defaultdict(set)
        self.themes: dict[tuple[int, str], Theme] = {}
        for chunk in _chunks(sorted(unit_ids)):
            rows = (
                TaskAssignment.objects.filter(unit_id__in=chunk)
                .order_by()
                .values_list("unit_id", "task_id", "task__document__current_version_id")
            )
            for unit_id, task_id, version_id in rows:
                self.assigned.add((unit_id, task_id))
                self.task_version[task_id] = version_id
                if version_id:
                    self.unit_versions[unit_id].add(version_id)
        self.tasks: dict[int, Task] = Task.objects.only("pk").in_bulk(sorted(self.task_version))
        versions = sorted({v for vs in self.unit_versions.values() for v in vs})
        for chunk in _chunks(versions):
            for theme in Theme.objects.filter(version_id__in=chunk).select_related("version"):
                self.themes.setdefault((theme.version_id, theme.label.strip().rstrip(".")), theme)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    columns: dict[str, str | None]
    errors: list[RowError] = field(default_factory=list)
    external_id: str = ""
    unit_text: str = ""
    unit: Unit | None = None
    task_texts: list[str] = field(default_factory=list)
    theme_texts: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)

    def error(self, key: str, message: str, value: str = "") -> None:
        self.errors.append(RowError(self.number, self.columns.get(key) or key, message, value))


def _map_columns(header: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """Column key -> header text as written in the file; plus the headers not used."""
    found: dict[str, str | None] = {c.key: None for c in COLUMNS}
    ignored: list[str] = []
    for text in header:
        if not text:
            continue
        key = _HEADERS.get(_header_key(text))
        if key is None:
            ignored.append(text)
            continue
        if found[key] is not None:
            raise TabularError(
                _("Cột “{first}” và cột “{second}” cùng là {key}; hãy giữ lại một cột.").format(
                    first=found[key], second=text, key=key
                ),
                "duplicate_column",
            )
        found[key] = text
    return found, ignored


class _Importer:
    def __init__(self, *, actor, units, progress: Progress) -> None:
        self.actor = actor
        self.units = _Units(units)
        self.progress = progress
        self.channels = _Choices(ChannelKind)
        self.forms = _Choices(ActivityForm)
        self.audiences = _Choices(Audience)
        self.result = BulkResult()

    def run(self, rows: list[TableRow], columns: dict[str, str | None]) -> BulkResult:
        parsed = [self.parse(r, columns) for r in rows]
        self.progress(10, _("Đang đối chiếu đơn vị, nhiệm vụ và chủ đề"))
        self.units.load({r.unit_text for r in parsed})
        for row in parsed:
            row.unit, reason = self.units.find(row.unit_text)
            if reason:
                row.error("don_vi", reason, row.unit_text)
        plans = _Plans({r.unit.pk for r in parsed if r.unit is not None})
        for row in parsed:
            if row.unit is not None:
                self.resolve_plans(row, plans)
        self.mark_duplicates(parsed)
        valid = [r for r in parsed if not r.errors]
        existing = self.existing(valid)
        self.progress(20, _("Đang lưu hoạt động"))
        for start in range(0, len(valid), BATCH):
            with transaction.atomic():
                for row in valid[start : start + BATCH]:
                    self.save(row, existing.get((row.unit.pk, row.external_id)))
            done = min(start + BATCH, len(valid))
            self.progress(
                20 + 79 * done // max(1, len(valid)),
                _("Đã xử lý {done}/{total} dòng hợp lệ").format(done=done, total=len(valid)),
            )
        for row in parsed:
            self.result.errors.extend(row.errors)
        self.result.errors.sort(key=lambda e: e.row)
        return self.result

    # -- one row, no queries ------------------------------------------------------------------

    def parse(self, table_row: TableRow, columns: dict[str, str | None]) -> _Row:
        row = _Row(table_row.number, columns)

        def cell(key: str) -> str:
            return _cell(table_row.values, columns[key])

        row.external_id = cell("ma")
        if not row.external_id:
            row.error("ma", _("Chưa ghi mã hoạt động (cột ma); mã giúp nhập lại tệp mà không tạo bản trùng."))
        elif len(row.external_id) > 200:
            row.error("ma", _("Mã dài quá 200 ký tự."), row.external_id)
        elif row.external_id.upper().startswith(EXAMPLE_PREFIX):
            row.error(
                "ma", _("Đây là dòng ví dụ của tệp mẫu; hãy xóa dòng này trước khi nhập."), row.external_id
            )

        text = cell("ngay")
        date = parse_date(text) if text else None
        if not text:
            row.error("ngay", _("Chưa ghi ngày."))
        elif date is None:
            row.error(
                "ngay",
                _("Ngày “{value}” không hợp lệ; hãy ghi dạng dd/mm/yyyy hoặc yyyy-mm-dd.").format(value=text),
                text,
            )
        row.fields["date"] = date

        row.unit_text = cell("don_vi")

        for key, choices, field_name, missing, unknown in (
            (
                "kenh",
                self.channels,
                "channel",
                _("Chưa ghi kênh."),
                _("Không nhận ra kênh “{value}”. Hãy ghi một trong: {choices}."),
            ),
            (
                "hinh_thuc",
                self.forms,
                "form",
                _("Chưa ghi hình thức."),
                _("Không nhận ra hình thức “{value}”. Hãy ghi một trong: {choices}."),
            ),
        ):
            text = cell(key)
            code = choices.find(text) if text else None
            if not text:
                row.error(key, missing)
            elif code is None:
                row.error(key, unknown.format(value=text, choices=choices.labels), text)
            row.fields[field_name] = code

        text = cell("so_luong")
        quantity = parse_int(text) if text else 1
        if quantity is None:
            row.error("so_luong", _("Số lượng “{value}” không phải là số nguyên.").format(value=text), text)
        elif quantity < 1 or quantity > MAX_INT:
            row.error("so_luong", _("Số lượng phải là số nguyên từ 1 trở lên."), text)
        row.fields["quantity"] = quantity

        title = cell("tieu_de")
        if not title:
            row.error("tieu_de", _("Chưa ghi tiêu đề."))
        elif len(title) > 500:
            row.error(
                "tieu_de", _("Tiêu đề dài quá 500 ký tự ({length} ký tự).").format(length=len(title)), title
            )
        row.fields["title"] = title

        link = cell("duong_dan")
        if link:
            try:
                if len(link) > 1000:
                    raise ValidationError("too long")
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                row.error(
                    "duong_dan",
                    _("Đường dẫn không hợp lệ; hãy ghi đầy đủ, bắt đầu bằng http:// hoặc https://."),
                    link,
                )
        row.fields["link"] = link
        row.fields["summary"] = cell("tom_tat")

        row.task_texts = _split(cell("nhiem_vu"), r"[;,\s]+")
        row.theme_texts = [t.rstrip(".") for t in _split(cell("chu_de"), r"[;,\s]+")]

        audiences = []
        for text in _split(cell("doi_tuong")):
            code = self.audiences.find(text)
            if code is None:
                row.error(
                    "doi_tuong",
                    _("Không nhận ra đối tượng “{value}”. Hãy ghi một trong: {choices}.").format(
                        value=text, choices=self.audiences.labels
                    ),
                    text,
                )
            elif code not in audiences:
                audiences.append(code)
        row.fields["audiences"] = audiences

        labels = {
            "luot_xem": _("Lượt xem"),
            "luot_chia_se": _("Lượt chia sẻ"),
            "nguoi_tham_du": _("Số người tham dự"),
            "so_ban": _("Số bản"),
        }
        for key, field_name in _NUMBER_COLUMNS.items():
            text = cell(key)
            number = parse_int(text) if text else None
            if text and number is None:
                row.error(
                    key,
                    _("{label} “{value}” không phải là số nguyên.").format(label=labels[key], value=text),
                    text,
                )
            elif number is not None and number < 0:
                row.error(key, _("{label} không được là số âm.").format(label=labels[key]), text)
                number = None
            elif number is not None and number > MAX_INT:
                row.error(key, _("{label} quá lớn.").format(label=labels[key]), text)
                number = None
            row.fields[field_name] = number
        return row

    def resolve_plans(self, row: _Row, plans: _Plans) -> None:
        unit = row.unit
        assert unit is not None
        task_ids: list[int] = []
        for text in row.task_texts:
            number = text.lstrip("#")
            if not number.isdigit():
                row.error("nhiem_vu", _("“{value}” không phải là số hiệu nhiệm vụ.").format(value=text), text)
            elif (unit.pk, int(number)) not in plans.assigned:
                row.error(
                    "nhiem_vu",
                    _("Nhiệm vụ số {task} không được giao cho đơn vị {unit}.").format(
                        task=number, unit=unit.name
                    ),
                    text,
                )
            else:
                task_ids.append(int(number))
        row.fields["tasks"] = [plans.tasks[pk] for pk in task_ids]

        if row.task_texts:
            versions = {plans.task_version.get(t) for t in task_ids} - {None}
            not_found = _("Không có chủ đề “{value}” trong kế hoạch của nhiệm vụ đã ghi.")
        else:
            versions = plans.unit_versions.get(unit.pk, set())
            not_found = _("Không có chủ đề “{value}” trong các kế hoạch mà đơn vị thực hiện.")
        themes: list[Theme] = []
        for label in row.theme_texts:
            found = [plans.themes[(v, label)] for v in sorted(versions) if (v, label) in plans.themes]
            if not found:
                row.error("chu_de", not_found.format(value=label), label)
            elif len(found) > 1:
                row.error(
                    "chu_de",
                    _(
                        "Chủ đề “{value}” có trong nhiều kế hoạch; hãy ghi thêm cột nhiem_vu để chọn kế hoạch."
                    ).format(value=label),
                    label,
                )
            elif found[0] not in themes:
                themes.append(found[0])
        row.fields["themes"] = themes

    def mark_duplicates(self, rows: list[_Row]) -> None:
        first: dict[tuple[int, str], int] = {}
        for row in rows:
            if row.unit is None or not row.external_id:
                continue
            key = (row.unit.pk, row.external_id)
            if key in first:
                row.error(
                    "ma",
                    _("Mã “{value}” đã dùng ở dòng {row} của tệp; mỗi hoạt động cần một mã riêng.").format(
                        value=row.external_id, row=first[key]
                    ),
                    row.external_id,
                )
            else:
                first[key] = row.number

    # -- queries ------------------------------------------------------------------------------

    def existing(self, rows: list[_Row]) -> dict[tuple[int, str], Activity]:
        by_unit: dict[int, list[str]] = defaultdict(list)
        for row in rows:
            assert row.unit is not None
            by_unit[row.unit.pk].append(row.external_id)
        found: dict[tuple[int, str], Activity] = {}
        for unit_id, external_ids in by_unit.items():
            for chunk in _chunks(sorted(set(external_ids))):
                activities = (
                    Activity.objects.filter(unit_id=unit_id, external_id__in=chunk)
                    .select_related("unit")
                    .prefetch_related("tasks", "themes")
                )
                for activity in activities:
                    found[(unit_id, activity.external_id)] = activity
        return found

    def save(self, row: _Row, activity: Activity | None) -> None:
        assert row.unit is not None
        fields = row.fields
        if activity is not None and not activity_changes(activity, fields):
            self.result.unchanged += 1
            return
        try:
            with transaction.atomic():  # a failed row leaves the batch's transaction usable
                if activity is None:
                    record_activity(actor=self.actor, unit=row.unit, external_id=row.external_id, **fields)
                    self.result.created += 1
                else:
                    update_activity(activity=activity, actor=self.actor, **fields)
                    self.result.updated += 1
        except IntegrityError:
            row.error(
                "ma",
                _("Mã “{value}” vừa được nhập cho đơn vị này ở một lượt nhập khác; hãy nhập lại tệp.").format(
                    value=row.external_id
                ),
                row.external_id,
            )
        except ValidationError as exc:
            row.error("", " ".join(exc.messages))
        except DatabaseError as exc:
            row.error("", _("Không lưu được dòng này ({error}).").format(error=type(exc).__name__))


def import_activities(
    *,
    data: bytes,
    filename: str,
    actor,
    units: QuerySet[Unit] | Sequence[Unit],
    progress: Progress | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> BulkResult:
    """Create or update one activity per row of a CSV/XLSX file, for ``units`` only (the units
    ``actor`` may write). Raises ``TabularError`` when the file cannot be read or lacks a required
    column; otherwise every row is saved or reported in ``BulkResult.errors``."""
    report = progress or _noop
    report(0, _("Đang đọc tệp"))
    table = read_table(data, filename, max_rows=max_rows)
    columns, ignored = _map_columns(table.header)
    importer = _Importer(actor=actor, units=units, progress=report)
    required = [c.key for c in COLUMNS if c.required and columns[c.key] is None]
    if "don_vi" in required and importer.units.only is not None:
        required.remove("don_vi")
    if required:
        raise TabularError(
            _("Tệp thiếu cột bắt buộc: {columns}. Hãy dùng dòng tiêu đề của tệp mẫu.").format(
                columns=", ".join(required)
            ),
            "missing_columns",
        )
    report(5, _("Đang kiểm tra dữ liệu"))
    with tallies.deferred():
        result = importer.run(table.rows, columns)
    result.rows = len(table.rows)
    if ignored:
        result.warnings.append(
            _("Đã bỏ qua các cột không dùng: {columns}.").format(columns=", ".join(ignored))
        )
    report(100, _("Hoàn thành"))
    return result


# ---------------------------------------------------------------------------------------------
# Template and error report (rows for tabular.write_csv / write_xlsx, which neutralise cells)
# ---------------------------------------------------------------------------------------------


def template_rows(*, unit: Unit | None = None, task_id: int | None = None) -> list[list[str]]:
    """The header and two example rows for the downloadable template. The examples are marked:
    their ``ma`` starts with "VI-DU-" (imported as is, they are reported, not saved) and their
    title with "(Ví dụ)"."""
    unit_name = unit.name if unit is not None else _("Tên đơn vị của bạn")
    header = [c.key for c in COLUMNS]
    first = {
        "ma": f"{EXAMPLE_PREFIX}1",
        "ngay": "15/03/2026",
        "don_vi": unit_name,
        "kenh": _("Mạng xã hội"),
        "hinh_thuc": _("Tin"),
        "so_luong": "1",
        "tieu_de": _("(Ví dụ) Tin tuyên truyền Nghị quyết trên trang mạng xã hội của đơn vị"),
        "duong_dan": "https://www.facebook.com/",
        "tom_tat": _("Tóm tắt ngắn nội dung đã đăng"),
        "nhiem_vu": str(task_id) if task_id else "",
        "chu_de": "1.1",
        "doi_tuong": _("Toàn dân"),
        "luot_xem": "1200",
        "luot_chia_se": "35",
    }
    second = {
        "ma": f"{EXAMPLE_PREFIX}2",
        "ngay": "2026-03-20",
        "don_vi": unit_name,
        "kenh": _("Tuyên truyền miệng, sinh hoạt"),
        "hinh_thuc": _("Hội nghị, buổi sinh hoạt"),
        "so_luong": "1",
        "tieu_de": _("(Ví dụ) Hội nghị quán triệt Nghị quyết cho cán bộ, đảng viên"),
        "nhiem_vu": str(task_id) if task_id else "",
        "doi_tuong": _("Cán bộ, đảng viên") + "; " + _("Phụ nữ"),
        "nguoi_tham_du": "120",
    }
    return [header, [first.get(k, "") for k in header], [second.get(k, "") for k in header]]


def error_report_rows(result: BulkResult) -> list[list[str | int]]:
    """One row per error: row number, column, message, value as written."""
    rows: list[list[str | int]] = [[_("Dòng"), _("Cột"), _("Lỗi"), _("Giá trị")]]
    rows += [[e.row, e.column, e.message_vi, e.value] for e in result.errors]
    return rows
