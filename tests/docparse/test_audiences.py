"""Audience groups (issue 9): the groups a plan names, each with its tier, its sensitivity and the sentence
it was named in; `loa parse --json` lists them."""

import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loa.docparse import parse_path, parse_text
from loa.docparse.audiences import (
    corpus_counts,
    email_subscribable,
    find_audiences,
    standard_groups,
)
from loa.docparse.cli import main

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LOA_SHARED_DIR", REPO.parent / "shared"))
SAMPLES = REPO / "loa" / "samples" / "plans"
# The two seeds of the issue; the shipped samples hold the same texts.
SEEDS = {
    "000": (
        SHARED / "seeds" / "000_93c23c263a7d8027.txt",
        SAMPLES / "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt",
    ),
    "004": (
        SHARED / "seeds" / "004_efe55dd49296b01b.txt",
        SAMPLES / "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt",
    ),
}


def seed(name: str) -> Path:
    return next((p for p in SEEDS[name] if p.exists()), SEEDS[name][-1])


def keys(text) -> list[str]:
    return [a.key for a in find_audiences(text)]


@pytest.fixture(scope="module")
def seed_000():
    return {a.key: a for a in parse_path(seed("000")).audiences}


@pytest.fixture(scope="module")
def seed_004():
    return {a.key: a for a in parse_path(seed("004")).audiences}


def test_it_reads_the_city_plan_groups(seed_000):
    assert {"can-bo", "dang-vien", "nhan-dan", "doanh-nghiep", "kol"} <= seed_000.keys()
    assert seed_000["nhan-dan"].name == "Nhân dân" and seed_000["nhan-dan"].tier == 4
    assert "KOLs" in seed_000["kol"].source and "chia sẻ thông tin chính thống" in seed_000["kol"].source


def test_it_reads_the_commune_plan_groups(seed_004):
    assert {"can-bo", "dang-vien", "doan-vien", "doanh-nghiep", "hoc-sinh"} <= seed_004.keys()
    assert {"hoi-vien", "nhan-dan"} <= seed_004.keys()
    # học sinh: "Đưa nội dung Nghị quyết vào tuyên truyền tại các trường học."
    assert seed_004["hoc-sinh"].source == "Đưa nội dung Nghị quyết vào tuyên truyền tại các trường học."


def test_it_reads_the_commune_plans_core_force_as_tier_1(seed_004):
    # "Huy động đội ngũ báo cáo viên, tuyên truyền viên cơ sở, người có uy tín trong cộng đồng, trưởng
    # thôn, tổ trưởng tổ dân phố... làm lực lượng nòng cốt trong công tác tuyên truyền, vận động ở cơ sở."
    tier_1 = [a for a in seed_004.values() if a.tier == 1]
    assert [a.key for a in tier_1] == ["bao-cao-vien", "tuyen-truyen-vien", "nguoi-co-uy-tin", "truong-thon"]
    assert all(a.source.startswith("Huy động đội ngũ báo cáo viên") for a in tier_1)
    assert all("lực lượng nòng cốt" in a.source for a in tier_1)


def test_each_group_is_listed_once_in_order_of_first_mention(seed_004):
    listed = list(seed_004)
    assert len(listed) == len(set(listed))
    assert listed[:2] == ["can-bo", "nhan-dan"]  # "sự đồng thuận trong mỗi cán bộ và Nhân dân"
    assert seed_004["nhan-dan"].mentions > 1


def test_a_coordinated_phrase_names_each_group():
    text = "Tăng cường đối thoại với cán bộ, đảng viên, đoàn viên, hội viên, doanh nghiệp và Nhân dân."
    assert keys(text) == ["can-bo", "dang-vien", "doan-vien", "hoi-vien", "doanh-nghiep", "nhan-dan"]
    assert keys("Phát huy đội ngũ báo cáo viên, tuyên truyền viên.") == ["bao-cao-vien", "tuyen-truyen-vien"]
    assert keys("Tuyên truyền cho CBCCVC và người lao động.") == [
        "can-bo",
        "cong-chuc-vien-chuc",
        "nguoi-lao-dong",
    ]
    assert keys("Vận động ĐVTN, HSSV tham gia.") == ["doan-vien", "thanh-nien", "hoc-sinh", "sinh-vien"]


@pytest.mark.parametrize(
    "text",
    [
        "Ủy ban nhân dân xã chủ trì.",
        "UỶ BAN NHÂN DÂN TỈNH QUẢNG NINH",
        "Kỳ họp Hội đồng nhân dân Thành phố; bầu Hội thẩm nhân dân.",
        "Xây dựng nền quốc phòng toàn dân gắn với thế trận an ninh nhân dân.",
        "Phối hợp với Tòa án nhân dân và Viện kiểm sát nhân dân.",
        "Sức mạnh khối đại đoàn kết toàn dân tộc.",
        "Số chứng minh nhân dân.",
    ],
)
def test_a_body_named_nhan_dan_is_not_the_public(text):
    assert "nhan-dan" not in keys(text)


def test_the_public_is_still_read_beside_a_body():
    assert keys("Ủy ban nhân dân xã thông tin kịp thời đến Nhân dân.") == ["nhan-dan"]
    assert keys("UBND xã tuyên truyền đến người dân.") == ["nhan-dan"]


@pytest.mark.parametrize(
    "text",
    [
        "Đoàn Thanh niên xã tổ chức ra quân.",
        "Hội Liên hiệp Phụ nữ xã phối hợp.",
        "Hội Nông dân, Hội Cựu chiến binh, Hội Người cao tuổi xã.",
        "Căn cứ Luật Doanh nghiệp năm 2020 và Luật Thanh niên.",
        "Đảng ủy xã lãnh đạo; Đảng và Nhà nước quan tâm.",
        "Khai thác Sổ tay đảng viên điện tử.",
        "Đổi mới công tác cán bộ.",
        "Khen thưởng chiến sĩ thi đua cơ sở.",
        "Sở Lao động - Thương binh và Xã hội hướng dẫn.",
        "Phong tặng Nhà giáo nhân dân.",
        "Di dời các cơ sở sản xuất, trường học, bệnh viện.",
        "Ban Tôn giáo tỉnh; các Phòng chức năng tổ chức việc tiếp công dân.",
    ],
)
def test_an_organisation_a_title_or_a_concept_is_not_a_group(text):
    assert keys(text) == []


def test_it_matches_whole_words_only():
    assert keys("Đảng bộ xã; Đảng và Nhà nước; Đảng ủy.") == []
    assert keys("Kết nạp đảng viên mới.") == ["dang-vien"]
    assert keys("Không cán bộ hóa đội ngũ tình nguyện viên.") == []
    assert keys("Các KOLs, người có ảnh hưởng trên mạng xã hội") == ["kol"]
    assert keys("Kolstad") == []


def test_text_typed_without_diacritics_is_read():
    assert keys("Tuyen truyen den can bo, dang vien va nhan dan tren dia ban") == [
        "can-bo",
        "dang-vien",
        "nhan-dan",
    ]
    assert keys("Uy ban nhan dan xa cong nhan ket qua") == []  # "cong nhan" is also "công nhận"


def test_old_style_tone_marks_are_read():
    assert keys("Uỷ ban nhân dân huyện; toà án nhân dân") == []


def test_sensitive_groups_are_flagged_and_never_offered_by_email():
    sensitive = {g.key for g in standard_groups() if g.sensitive}
    assert {"dang-vien", "dan-toc-thieu-so", "ton-giao"} <= sensitive
    assert not {"can-bo", "doan-vien", "nhan-dan", "thanh-nien", "doanh-nghiep", "kol"} & sensitive
    assert all(not email_subscribable(key) for key in sensitive)
    assert email_subscribable("thanh-nien") and not email_subscribable("no-such-group")
    found = {a.key: a for a in find_audiences("Vận động đồng bào dân tộc thiểu số và tôn giáo, đảng viên.")}
    assert found.keys() == {"dan-toc-thieu-so", "ton-giao", "dang-vien"}
    assert all(a.sensitive for a in found.values())


def test_the_standard_list_is_well_formed():
    groups = standard_groups()
    assert len({g.key for g in groups}) == len(groups)
    assert all(g.key.isascii() and g.key == g.key.lower() and " " not in g.key for g in groups)
    assert {g.tier for g in groups} == {1, 2, 3, 4}
    names = {g.name for g in groups}
    assert {
        "cán bộ",
        "đảng viên",
        "đoàn viên",
        "Nhân dân",
        "học sinh",
        "doanh nghiệp",
        "báo cáo viên",
    } <= names
    assert all(g.sensitive_reason for g in groups if g.sensitive)


def test_the_source_is_the_sentence_trimmed():
    text = "I. MỤC ĐÍCH\n- Câu thứ nhất không có gì. Vận động thanh niên tham gia; câu khác.\n" + "x " * 400
    (a,) = find_audiences(text)
    assert a.source == "Vận động thanh niên tham gia;" and a.matched == "thanh niên"
    long = "Tuyên truyền " + "rộng khắp " * 80 + "đến học sinh " + "và gia đình " * 80 + "."
    (b,) = find_audiences(long)
    assert "đến học sinh" in b.source and len(b.source) <= 302 and b.source.startswith("…")


def test_loa_parse_json_lists_the_audiences(capsys):
    code = main([str(seed("004")), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    audiences = {a["key"]: a for a in data["audiences"]}
    assert {"can-bo", "dang-vien", "doan-vien", "doanh-nghiep", "hoc-sinh"} <= audiences.keys()
    assert set(audiences["dang-vien"]) >= {"name", "tier", "sensitive", "source"}
    assert audiences["dang-vien"] | {"mentions": 0} == {
        "name": "đảng viên",
        "key": "dang-vien",
        "tier": 2,
        "sensitive": True,
        "source": audiences["dang-vien"]["source"],
        "matched": "đảng viên",
        "mentions": 0,
    }
    assert "Sổ tay" not in audiences["dang-vien"]["source"]


def test_the_closing_block_is_not_read():
    doc = parse_text(
        "KẾ HOẠCH\nTuyên truyền\nI. NỘI DUNG\n1. Tuyên truyền đến Nhân dân.\nNơi nhận:\n- Hội Cựu chiến binh;\n- Các trường học;"
    )
    assert [a.key for a in doc.audiences] == ["nhan-dan"]


@given(st.text(max_size=600))
def test_it_never_raises_on_arbitrary_text(text):
    for a in find_audiences(text):
        assert a.key and a.tier in (1, 2, 3, 4) and isinstance(a.source, str)


PHRASES = st.sampled_from(
    ["cán bộ", "đảng viên", "Nhân dân", "Ủy ban", "nhân dân", "Đoàn", "thanh niên", ",", " và ", "\n", "- ",
     "tại các trường học", "CBCCVC", "can bo", "toàn dân", "tộc", "Hội", "phụ nữ", "…", ". ", ";", "KOLs"]
)  # fmt: skip


@given(st.lists(st.one_of(PHRASES, st.text(max_size=8)), max_size=40))
def test_it_never_raises_on_group_shaped_text(parts):
    text = unicodedata.normalize("NFC", "".join(parts))
    for a in find_audiences(text):
        assert a.matched in text and a.source
    find_audiences(text.splitlines())


def test_standard_groups_occur_in_real_documents(admin_docs_dir):
    """Checks the standard list against shared/data/vn_admin_docs; ``-s`` prints the counts."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((admin_docs_dir / "docs").glob("*.txt"))]
    counts = corpus_counts(texts)
    print(f"\n{len(texts)} documents in {admin_docs_dir}")
    print(f"{'group':<34} {'tier':>4} {'sens.':>5} {'docs':>5} {'mentions':>8}")
    for g in standard_groups():
        docs, mentions = counts[g.key]
        print(f"{g.name:<34} {g.tier:>4} {'yes' if g.sensitive else '':>5} {docs:>5} {mentions:>8}")
    found = {key for key, (docs, _) in counts.items() if docs}
    assert {
        "can-bo",
        "dang-vien",
        "doan-vien",
        "nhan-dan",
        "thanh-nien",
        "doanh-nghiep",
        "bao-cao-vien",
    } <= found
    assert len(found) >= len(counts) * 3 // 4
