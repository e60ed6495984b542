"""The material library: import with citable paragraphs, immutable published versions with a diff,
loudspeaker scripts within their time limit, uses counted per unit."""

import pytest

from loa.activities.models import Activity
from loa.materials import scripts, services
from loa.materials.models import MaterialUse, MaterialVersion, Script

OUTLINE = """ỦY BAN NHÂN DÂN
XÃ HƯNG ĐẠO
Số: 15/ĐC-UBND
Hưng Đạo, ngày 20 tháng 3 năm 2026

ĐỀ CƯƠNG TUYÊN TRUYỀN
Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị về xây dựng và phát triển Thủ đô

I. Ý NGHĨA
1. Vị trí của Thủ đô
Hà Nội là trái tim của cả nước, trung tâm chính trị - hành chính quốc gia.
Nghị quyết được ban hành ngày 17/3/2026 với tầm nhìn đến năm 2045.
II. MỤC TIÊU
1. Đến năm 2030
Thu nhập bình quân đầu người đạt 12.000 USD; tỷ lệ đô thị hóa đạt 75%.
Mỗi xã đăng tối thiểu 10 tin, bài/tháng trên cổng thông tin điện tử.
2. Tầm nhìn đến năm 2045
Hà Nội trở thành thành phố toàn cầu, văn minh, hiện đại, có mức sống cao.
"""


@pytest.fixture
def material(world):
    return services.import_material(
        document=world["plan"],
        office=world["plan"].issuer,
        kind="outline",
        data=OUTLINE.encode(),
        filename="de-cuong.txt",
        actor=world["office_a"],
    )


def test_an_imported_material_has_a_citable_label_on_every_paragraph(material):
    version = material.versions.get()
    assert material.number == "15/ĐC-UBND" and version.status == MaterialVersion.Status.DRAFT
    assert material.title.startswith("Nghị quyết số 02-NQ/TW") and len(version.paragraphs) == 5
    labels = [p["label"] for p in version.paragraphs]
    assert "Mục I.1, đoạn 1" in labels and "Mục II.1, đoạn 2" in labels
    assert all(p["text"] for p in version.paragraphs)


def test_a_published_version_never_changes_and_a_new_one_shows_its_diff_and_the_units_on_the_old(
    world, material
):
    v1 = material.versions.get()
    services.publish(version=v1, actor=world["office_a"])
    with pytest.raises(services.Refused):
        services.publish(version=v1, actor=world["office_a"])
    script = services.make_script(version=v1, limit=60, actor=world["office_a"])
    services.approve_script(script=script, actor=world["office_a"])
    services.log_use(
        version=v1, unit=world["assignment"].unit, kind="broadcast", actor=world["officer_a"], script=script
    )
    v2 = services.new_version(
        material=material,
        data=OUTLINE.replace("12.000 USD", "13.000 USD").encode(),
        filename="de-cuong-v2.txt",
        actor=world["office_a"],
    )
    changes = services.diff(v1, v2)
    assert ("-", "Thu nhập bình quân đầu người đạt 12.000 USD; tỷ lệ đô thị hóa đạt 75%.") in changes
    assert any(op == "+" and "13.000 USD" in t for op, t in changes)
    still = services.publish(version=v2, actor=world["office_a"])
    assert still == [world["assignment"].unit]
    v1.refresh_from_db()
    assert v1.status == MaterialVersion.Status.SUPERSEDED and "12.000 USD" in v1.text
    with pytest.raises(services.Refused):
        services.new_version(
            material=material,
            data=OUTLINE.replace("12.000 USD", "13.000 USD").encode(),
            filename="x.txt",
            actor=None,
        )


def test_a_script_is_spoken_within_its_limit_and_over_the_limit_cannot_be_approved(world, material):
    v1 = material.versions.get()
    with pytest.raises(services.Refused):
        services.make_script(version=v1, limit=60, actor=None)  # a draft
    services.publish(version=v1, actor=world["office_a"])
    script = services.make_script(
        version=v1, limit=60, actor=world["office_a"], speaker="Ủy ban nhân dân xã Hưng Đạo"
    )
    assert script.seconds <= 60 and script.text.startswith(scripts.GREETING)
    assert "mười hai nghìn đô la Mỹ" in script.text and "mười tin, bài mỗi tháng" in script.text
    assert not any(ch.isdigit() for ch in script.text)
    services.edit_script(
        script=script, text=script.text + (" Bà con chú ý lắng nghe." * 40), actor=world["office_a"]
    )
    with pytest.raises(services.Refused, match="vượt thời lượng"):
        services.approve_script(script=script, actor=world["office_a"])
    assert Script.objects.get(pk=script.pk).status == Script.Status.DRAFT


def test_a_village_head_logs_a_broadcast_as_an_activity(world, material):
    v1 = material.versions.get()
    services.publish(version=v1, actor=world["office_a"])
    script = services.make_script(version=v1, limit=120, actor=world["office_a"])
    with pytest.raises(services.Refused):
        services.log_use(
            version=v1,
            unit=world["assignment"].unit,
            kind="broadcast",
            actor=world["officer_a"],
            script=script,
        )
    services.approve_script(script=script, actor=world["office_a"])
    use = services.log_use(
        version=v1, unit=world["assignment"].unit, kind="broadcast", actor=world["officer_a"], script=script
    )
    activity = Activity.objects.get(pk=use.activity_id)
    assert activity.channel == "broadcast" and activity.unit == world["assignment"].unit
    assert MaterialUse.objects.filter(version=v1).count() == 1


def test_bad_files_are_refused_with_a_reason(world):
    for data, name in [(b"", "rong.txt"), (b"\x00\x01\x02" * 100, "nhi-phan.bin")]:
        with pytest.raises(services.Refused):
            services.import_material(
                document=world["plan"],
                office=world["plan"].issuer,
                kind="outline",
                data=data,
                filename=name,
                actor=None,
            )


def test_the_bulletin_board_sheet_is_one_a4_page_at_16_pt_with_a_qr_code():
    import io

    import docx
    from pypdf import PdfReader

    from loa.docgen.pdf import docx_to_pdf
    from loa.materials.board import board_docx

    paragraphs = [p for p in OUTLINE.splitlines()[9:] if p and not p[0].isupper() or len(p) > 40] * 3
    data = board_docx(
        title="Đề cương tuyên truyền Nghị quyết 02",
        issuer="UBND xã Hưng Đạo",
        paragraphs=paragraphs,
        url="http://127.0.0.1:8000/tai-lieu/cong-khai/1/",
    )
    made = docx.Document(io.BytesIO(data))
    sizes = [r.font.size.pt for p in made.paragraphs for r in p.runs if r.font.size] + [
        made.styles["Normal"].font.size.pt
    ]
    assert min(sizes) >= 16 and made.styles["Normal"].font.name == "Times New Roman"
    assert any(rel.reltype.endswith("/image") for rel in made.part.rels.values())
    from loa.materials.board import board_pdf

    long_title = "Đề cương tuyên truyền kết quả thực hiện Nghị quyết 02 về xây dựng và phát triển Thủ đô " * 2
    pdf = PdfReader(
        io.BytesIO(
            board_pdf(
                title=long_title,
                issuer="UBND xã",
                paragraphs=paragraphs * 3,
                url="http://x.vn/",
                convert=docx_to_pdf,
            )
        )
    )
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 in points
    assert "Quét mã để đọc toàn văn" in pdf.pages[0].extract_text()


def test_portal_text_within_150_words_and_a_one_page_handbook_pdf_logged_as_a_handbook_activity(
    world, material
):
    import io

    from pypdf import PdfWriter

    from loa.materials.models import Variant

    v1 = material.versions.get()
    services.publish(version=v1, actor=world["office_a"])
    portal = services.make_portal_text(version=v1, actor=world["office_a"])
    assert scripts.words(portal.text) <= 150 and "12.000 USD" in portal.text
    services.edit_variant(variant=portal, text=portal.text + " thêm" * 200, actor=world["office_a"])
    with pytest.raises(services.Refused, match="vượt 150 chữ"):
        services.approve_variant(variant=portal, actor=world["office_a"])

    def pdf(pages):
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(595, 842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    with pytest.raises(services.Refused, match="đúng một trang"):
        services.upload_handbook_pdf(version=v1, data=pdf(2), actor=world["office_a"])
    handbook = services.upload_handbook_pdf(version=v1, data=pdf(1), actor=world["office_a"])
    with pytest.raises(services.Refused):
        services.log_handbook(variant=handbook, unit=world["assignment"].unit, actor=world["officer_a"])
    services.approve_variant(variant=handbook, actor=world["office_a"])
    use = services.log_handbook(variant=handbook, unit=world["assignment"].unit, actor=world["officer_a"])
    assert Activity.objects.get(pk=use.activity_id).channel == "handbook"
    assert Variant.objects.filter(status="approved").count() == 1


def test_a_city_material_reaches_the_commune_whose_plan_implements_it_and_is_adapted_with_a_link(world):
    from loa.materials import selectors
    from loa.plans.services import import_plan
    from tests.plans.test_import import PARENT

    commune_plan = world["plan"]
    city_plan = import_plan(data=PARENT.encode(), filename="66.txt").document  # the plan the commune's cites
    city = services.import_material(
        document=city_plan,
        office=world["plan"].issuer,
        kind="outline",
        data=OUTLINE.encode(),
        filename="dc.txt",
        actor=None,
    )
    assert selectors.from_above(commune_plan, world["office_a"]) == []  # a draft does not travel
    services.publish(version=city.versions.get(), actor=None)
    [(material, version)] = selectors.from_above(commune_plan, world["office_a"])
    assert material == city
    local = services.adapt(
        source=city, document=commune_plan, office=commune_plan.issuer, actor=world["office_a"]
    )
    assert local.source == city and local.source_version == version and local.document == commune_plan
    assert (
        local.versions.get().status == MaterialVersion.Status.DRAFT
        and local.versions.get().text == version.text
    )
