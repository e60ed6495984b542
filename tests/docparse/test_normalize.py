from loa.docparse.normalize import fold, normalize


def test_it_joins_a_sentence_cut_by_a_page_break_and_warns():
    lines, warnings = normalize("- công tác bầu cử diễn ra đồng\n\nbộ, thông suốt, không phát sinh.")
    assert lines == ["- công tác bầu cử diễn ra đồng bộ, thông suốt, không phát sinh."]
    assert any("ngắt trang" in w for w in warnings)


def test_it_drops_a_page_number_inside_a_sentence():
    lines, warnings = normalize("hành lang sinh thái sông Hồng - sông 5 Đuống - sông Đáy.")
    assert lines == ["hành lang sinh thái sông Hồng - sông Đuống - sông Đáy."]
    assert any("số trang" in w for w in warnings)


def test_it_keeps_numbers_that_belong_to_the_text():
    lines, _ = normalize("Hội nghị Trung ương 5 Khóa XII đã thông qua.")
    assert lines == ["Hội nghị Trung ương 5 Khóa XII đã thông qua."]


def test_it_repairs_known_ocr_slips_and_records_them():
    lines, warnings = normalize("đổi mới sáng tạo và chuyên đổi số.")
    assert lines == ["đổi mới sáng tạo và chuyển đổi số."]
    assert any("chuyên đổi số" in w for w in warnings)


def test_it_strips_markdown_and_rules():
    lines, _ = normalize(
        "## **KẾ HOẠCH**\n\n-----\n\n#### **I. MỤC ĐÍCH, YÊU CẦU**\n**K/T TRƯỞNG BAN  \nPHÓ TRƯỞNG BAN**"
    )
    assert lines == ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]


def test_it_does_not_join_list_items():
    lines, _ = normalize("Nơi nhận:\n- Thường trực Thành ủy,\n- Đ/c Trưởng Ban,")
    assert len(lines) == 3


def test_fold_removes_diacritics():
    assert fold("Tổ chức Thực hiện Đảng") == "to chuc thuc hien dang"
