"""End to end on the two shipped sample plans and on real documents of shared/data/vn_admin_docs."""

import json
from pathlib import Path

import pytest

from loa.docparse import parse_path

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "plan.schema.json"


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip("shared/schemas/plan.schema.json not found")
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


def test_city_plan_sample(samples_dir, validator):
    doc = parse_path(samples_dir / "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt")
    data = doc.to_dict()
    validator.validate(data)
    assert doc.is_plan and doc.number is None and doc.place is None
    assert doc.issuer == "Ban Tuyên giáo và Dân vận Thành ủy"
    assert [s.label for s in doc.sections] == ["I", "II", "III", "IV"]
    assert [t.label for t in doc.themes] == ["1", "2", "3"]
    assert {c.kind for c in doc.channels} >= {
        "press",
        "web_portal",
        "social_media",
        "meeting",
        "conference",
        "training",
    }
    assert [a.units for a in doc.assignments][1:4] == [
        ["Đảng ủy HĐND Thành phố"],
        ["Đảng ủy UBND Thành phố"],
        [
            "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội Thành phố",
            "các sở, ban, ngành Thành phố",
            "Đảng ủy các xã, phường và Đảng ủy trực thuộc Thành ủy",
        ],
    ]
    assert doc.assignments[4].tasks[1].deadline == "2026-04-01"
    assert [(r.number, r.is_basis) for r in doc.references] == [("309-TB/TU", True), ("08/TTr-HĐND", True)]
    assert doc.signer.name == "Đào Xuân Dũng"
    assert len(doc.recipients) == 9
    assert any("ngắt trang" in w for w in doc.warnings)


def test_commune_plan_sample(samples_dir, validator):
    doc = parse_path(samples_dir / "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt")
    validator.validate(doc.to_dict())
    assert doc.issuer == "UBND xã Hưng Đạo"
    themes = {t.label: t for t in doc.themes}
    assert "1" not in themes  # the wrapper "1. Nội dung thông tin, tuyên truyền" is not a theme
    assert themes["1.1"].parent is None and themes["1.2"].parent is None
    assert themes["1.2.3.4"].parent == "1.2.3"
    assert {c.kind for c in doc.channels} == {
        "meeting",
        "web_portal",
        "social_media",
        "handbook",
        "school",
        "dialogue",
    }
    kpi = doc.assignments[2].tasks[0].kpis[0]
    assert (kpi.quantity, kpi.unit, kpi.per) == (10, "tin, bài", "month")
    numbers = [(r.number, r.date) for r in doc.references]
    assert ("02-NQ/TW", "2026-03-17") in numbers and ("66-KH/ĐU", "2026-04-21") in numbers
    assert numbers.count(("02-NQ/TW", "2026-03-17")) == 1
    assert {(i.value, i.unit, i.year) for i in doc.indicators} >= {(12000, "USD", 2030), (40, "% GRDP", 2030)}
    assert doc.signer.authority == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"


@pytest.mark.parametrize(
    "name", ["luongminh_08.txt", "ngocnam_02.txt", "luongminh_02.txt", "luongminh_09.txt"]
)
def test_real_plans_of_the_admin_docs(admin_docs_dir, validator, name):
    doc = parse_path(admin_docs_dir / "docs" / name)
    validator.validate(doc.to_dict())
    assert doc.is_plan
    assert doc.sections and doc.assignments
    assert all(a.units and a.tasks for a in doc.assignments)
    assert doc.signer is not None


def test_every_admin_doc_parses_and_validates(admin_docs_dir, validator):
    for path in sorted((admin_docs_dir / "docs").glob("*.txt")):
        doc = parse_path(path)
        validator.validate(doc.to_dict())
        if not doc.is_plan:
            assert any("không phải kế hoạch" in w for w in doc.warnings), path.name
