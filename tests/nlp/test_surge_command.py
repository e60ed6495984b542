"""``loa listening surges``: JSON lines in, alerts out, bad lines reported in Vietnamese."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command


def write_items(path, extra_lines=()):
    lines = []
    day0 = dt.date(2026, 5, 1)
    for d in range(30):
        day = day0 + dt.timedelta(days=d)
        for i in range(20):
            lines.append(
                {
                    "id": f"{d}-{i}",
                    "text": f"Tin thường ngày số {i} về chủ đề {i % 7} khác nhau",
                    "time": day.isoformat(),
                }
            )
    for k in range(9):
        lines.append(
            {
                "id": f"ngap-{k}",
                "text": "Ngập lụt nghiêm trọng tại phố Chùa Bộc sau mưa lớn",
                "time": "2026-05-28T08:30:00+07:00",
            }
        )
    path.write_text(
        "\n".join([json.dumps(x, ensure_ascii=False) for x in lines] + list(extra_lines)), encoding="utf-8"
    )


def test_surges_come_out_as_json_lines_with_evidence(tmp_path):
    items = tmp_path / "items.jsonl"
    write_items(items, ["không phải json", '{"id": 1}'])
    out, err = io.StringIO(), io.StringIO()
    call_command("listening", "surges", "--input", str(items), stdout=out, stderr=err)
    alerts = [json.loads(line) for line in out.getvalue().splitlines()]
    flood = [a for a in alerts if set(a["evidence"]) == {f"ngap-{k}" for k in range(9)}]
    assert len(flood) == 1
    alert = flood[0]
    assert set(alert) >= {"topic", "label", "window_start", "observed", "expected", "severity", "evidence"}
    assert alert["window_start"] == "2026-05-28T00:00:00" and alert["observed"] == 9
    assert "Dòng 611: bỏ qua" in err.getvalue() and "thiếu trường text" in err.getvalue()


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00\x01binary", b"\n\n   \n"])
def test_unusable_input_exits_2_with_a_vietnamese_message(tmp_path, content):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="Tệp không phải văn bản UTF-8|Không có dòng hợp lệ") as info:
        call_command("listening", "surges", "--input", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert info.value.returncode == 2


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp") as info:
        call_command("listening", "surges", "--input", str(tmp_path / "none.jsonl"), stdout=io.StringIO())
    assert info.value.returncode == 2
