"""Exports in: columns found by name, persons never read, personal data stripped, bad rows named."""

import datetime as dt
import json
import zoneinfo

import pytest

from loa.listening.readers import ExportError, read_export, read_pasted

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

CSV = (
    "Author,Profile URL,Nội dung,Thời gian,Nền tảng,Link,Likes,Shares\n"
    'Nguyễn Văn A,https://facebook.com/nguyen.van.a,"Đường Láng ngập sâu, gọi 0912345678 để hỏi",07/06/2026 08:15,Facebook,'
    "https://www.facebook.com/groups/123/posts/456,12,3\n"
    'Trần Thị B,https://facebook.com/tran.b,"@tranb nói đúng, email b@gmail.com",2026-06-07T09:00:00,Facebook,https://facebook.com/tran.b,1.200,0\n'
    ",,,2026-06-07,,,,\n"
    "C,,Bài không có giờ,,Zalo,,,\n"
)


def test_a_social_listening_csv_keeps_text_time_and_numbers_never_persons():
    export = read_export(CSV.encode("utf-8"), "export.csv", TZ)
    assert export.rows == 4 and len(export.items) == 2
    first, second = export.items
    assert first.text == "Đường Láng ngập sâu, gọi [số điện thoại] để hỏi" and first.stripped == 1
    assert first.published_at == dt.datetime(2026, 6, 7, 8, 15, tzinfo=TZ)
    assert first.platform == "Facebook" and first.likes == 12 and first.shares == 3
    assert first.link == "https://www.facebook.com/groups/123/posts/456"  # a post, kept
    assert second.link == ""  # a profile link, dropped
    assert "tranb" not in second.text and "gmail" not in second.text and second.likes == 1200
    stored = json.dumps([vars(i) for i in export.items], default=str, ensure_ascii=False)
    for person in ("Nguyễn Văn A", "Trần Thị B", "nguyen.van.a", "tran.b"):
        assert person not in stored
    assert [(row, "thiếu nội dung" in msg or "thiếu thời gian" in msg) for row, msg in export.errors] == [
        (4, True),
        (5, True),
    ]


def test_json_lines_and_legacy_encodings():
    lines = [
        {
            "id": "p1",
            "text": "Mưa lớn gây ngập phố Chùa Bộc",
            "time": "2026-06-07T10:00:00+07:00",
            "platform": "TikTok",
        },
        {"id": "p2", "content": "Cắt điện khu vực Cầu Giấy", "created_time": "1780800000"},
        ["không phải đối tượng"],
    ]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    export = read_export(data, "posts.jsonl", TZ)
    assert [i.text for i in export.items] == ["Mưa lớn gây ngập phố Chùa Bộc", "Cắt điện khu vực Cầu Giấy"]
    assert export.errors[0][0] == 3
    cp1258 = "text,time\nMưa ơ\u0309 Hà Đông,2026-06-07\n".encode("cp1258")  # tones as combining marks
    assert read_export(cp1258, "a.csv", TZ).items[0].text == "Mưa ở Hà Đông"
    utf16 = "text\ttime\nNgập ở Hà Đông\t2026-06-07\n".encode("utf-16")
    assert read_export(utf16, "a.csv", TZ).items[0].text == "Ngập ở Hà Đông"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "a.csv", "binary"),
        ("Tác giả,Lượt thích\nA,1\n".encode(), "a.csv", "missing_columns"),
        (b"text,views\nabc,1\n", "a.csv", "missing_columns"),
    ],
)
def test_unreadable_files_say_why_in_vietnamese(data, name, code):
    with pytest.raises(ExportError) as info:
        read_export(data, name, TZ)
    assert info.value.code == code and info.value.message


def test_pasted_text_is_one_item_per_paragraph():
    now = dt.datetime(2026, 6, 7, 12, 0, tzinfo=TZ)
    export = read_pasted("Đoạn một về ngập.\n\nĐoạn hai, gọi 0987654321.\n\n   \n", now)
    assert [i.text for i in export.items] == ["Đoạn một về ngập.", "Đoạn hai, gọi [số điện thoại]."]
    assert all(i.published_at == now for i in export.items)
