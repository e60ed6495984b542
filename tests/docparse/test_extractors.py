from loa.docparse.closing import read_closing
from loa.docparse.dates import find_deadline
from loa.docparse.extract import extract_assignments, find_indicators, find_kpis, find_parts
from loa.docparse.normalize import normalize
from loa.docparse.outline import build_outline
from loa.docparse.references import find_references


def outline(text):
    lines, _ = normalize(text)
    return build_outline(lines)


def test_outline_levels_come_from_numbering_not_markup():
    roots, _, _ = outline(
        "#### I. MỤC ĐÍCH\n## 1. Mục đích\n- a\n### 1.1. Con\n1.2.3.4. Sâu\na) Chữ\nII- NỘI DUNG\n1- Một"
    )
    assert [r.label for r in roots] == ["I", "II"]
    one = roots[0].children[0]
    assert (one.label, one.children[0].label) == ("1", "1.1")
    assert one.children[0].children[0].label == "1.2.3.4"
    assert one.children[0].children[0].children[0].label == "a"
    assert roots[1].children[0].heading == "Một"


def test_outline_stops_at_closing_paragraph():
    roots, _, closing = outline(
        "I. TỔ CHỨC THỰC HIỆN\n1. Phòng Văn hóa\nLàm việc.\nTrên đây là Kế hoạch./.\nNơi nhận:\n- A;"
    )
    assert roots[0].children[0].lines == ["Làm việc."]
    assert closing[0].startswith("Trên đây")


def test_assignments_split_units_drop_courtesy_and_read_quota():
    roots, _, _ = outline(
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Đề nghị Đảng ủy UBND Thành phố; các sở, ban, ngành Thành phố\n"
        "- Chỉ đạo cung cấp thông tin.\n"
        "- Báo cáo kết quả trước ngày 01/4/2026 để tổng hợp.\n"
        "2. Trung tâm dịch vụ tổng hợp xã\n"
        "Đảm bảo đăng tải tối thiểu 10 tin, bài/ tháng trên các nền tảng số và mạng xã hội.\n"
    )
    parts = find_parts(roots)
    a = extract_assignments(parts["implementation"])
    assert a[0].units == ["Đảng ủy UBND Thành phố", "các sở, ban, ngành Thành phố"]
    assert [t.deadline for t in a[0].tasks] == [None, "2026-04-01"]
    kpi = a[1].tasks[0].kpis[0]
    assert (kpi.quantity, kpi.comparator, kpi.unit, kpi.per, kpi.channels) == (
        10,
        ">=",
        "tin, bài",
        "month",
        ["social_media"],
    )
    assert a[1].tasks[0].recurrence == "monthly"


def test_deadlines():
    assert find_deadline("hoàn thành chậm nhất ngày 15 tháng 3 năm 2026") == "2026-03-15"
    assert find_deadline("triển khai trong tháng 5/2026") == "2026-05-31"
    assert find_deadline("đi vào hoạt động từ ngày 01/4/2026") is None


def test_kpis_ignore_plain_counts():
    assert find_kpis("giải quyết 5 điểm nghẽn và 3 nội dung") == []
    assert find_kpis("tổ chức ít nhất 02 buổi mỗi quý")[0].per == "quarter"


def test_indicators_read_values_years_and_periods():
    text = (
        "Truyền tải thu nhập bình quân đầu người, với lộ trình từ mức tối thiểu 12.000 USD (năm 2030) "
        "tăng lên 42.000 USD (năm 2045). Mục tiêu duy trì tốc độ tăng trưởng GRDP bình quân trên 11%/năm "
        "trong các giai đoạn từ 2026 đến 2045. Giải quyết 5 điểm nghẽn."
    )
    found = [(i.value, i.unit, i.year, i.from_year, i.comparator) for i in find_indicators(text)]
    assert found == [
        (12000, "USD", 2030, None, ">="),
        (42000, "USD", 2045, None, "="),
        (11, "%/năm", 2045, 2026, ">"),
    ]


def test_indicator_from_x_percent_upwards():
    (i,) = find_indicators("thực hiện mục tiêu tăng trưởng GRDP từ 11% trở lên;")
    assert (i.metric, i.value, i.unit, i.comparator, i.year) == ("tăng trưởng GRDP", 11, "%", ">=", None)


def test_references_dedupe_by_number_and_date():
    lines = [
        ("Thực hiện Kế hoạch số 66-KH/ĐU ngày 21/4/2026 của Đảng ủy xã Hưng Đạo về thông tin", True),
        (
            "(3) Nghị quyết số 15-NQ/TW ngày 15/12/2000 về nhiệm vụ; (5) Nghị quyết số 15-NQ/TW ngày 05/5/2022",
            False,
        ),
        ("thực hiện Nghị quyết số 15-NQ/TW của Bộ Chính trị về sơ kết", False),
        ("căn cứ Nghị quyết 02-NQ/TW ngày 17/3/2026 về xây dựng", False),
    ]
    refs, _ = find_references(lines)
    assert [(r.number, r.date) for r in refs] == [
        ("66-KH/ĐU", "2026-04-21"),
        ("15-NQ/TW", "2000-12-15"),
        ("15-NQ/TW", "2022-05-05"),
        ("02-NQ/TW", "2026-03-17"),
    ]
    assert refs[0].issuer == "Đảng ủy xã Hưng Đạo" and refs[0].is_basis
    assert refs[2].issuer == "Bộ Chính trị"
    assert not refs[3].is_basis


def test_closing_reads_recipients_with_brace_and_signer():
    lines, _ = normalize(
        "Nơi nhận:\n- Thường trực Thành ủy, } (để báo cáo)\n- Đ/c Trưởng Ban,\n- Đảng ủy HĐND TP,\n"
        "- Lưu VT, P.TT.\n**K/T TRƯỞNG BAN  \nPHÓ TRƯỞNG BAN**\n\n**Đào Xuân Dũng**"
    )
    recipients, signer = read_closing(lines)
    assert [(r.name, r.purpose) for r in recipients] == [
        ("Thường trực Thành ủy", "để báo cáo"),
        ("Đ/c Trưởng Ban", "để báo cáo"),
        ("Đảng ủy HĐND TP", None),
        ("Lưu VT, P.TT", None),
    ]
    assert (signer.authority, signer.position, signer.name) == (
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Đào Xuân Dũng",
    )


def test_closing_joins_several_authority_lines():
    lines, _ = normalize(
        "Nơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nĐỗ Hồng Sơn"
    )
    _, signer = read_closing(lines)
    assert signer.authority == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"
    assert signer.name == "Đỗ Hồng Sơn"


def test_unit_heading_that_runs_into_its_task_is_split_at_the_verb():
    from loa.docparse.extract import split_units

    units, task = split_units(
        "Ban Thường trực Ủy ban MTTQ Việt Nam phường xây dựng Kế hoạch kiểm tra, giám sát; tổ chức các đoàn"
    )
    assert units == ["Ban Thường trực Ủy ban MTTQ Việt Nam phường"]
    assert task.startswith("xây dựng Kế hoạch")
    units, _ = split_units(
        "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội Thành phố; các sở, ban, ngành Thành phố"
    )
    assert len(units) == 2
    assert split_units("Ủy ban nhân dân xã phối hợp")[0] == ["Ủy ban nhân dân xã"]
    assert split_units("Kinh phí thực hiện")[0] == []


def test_a_number_cut_short_is_the_same_reference():
    refs, _ = find_references(
        [
            (
                "Căn cứ Nghị quyết liên tịch số 102/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN hướng dẫn quy trình",
                True,
            ),
            ("theo Nghị quyết liên tịch số 102/2025/NQLT.", False),
        ]
    )
    assert [r.number for r in refs] == ["102/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN"]
