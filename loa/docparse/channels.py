"""Forms of propagation (hình thức tuyên truyền) mapped to channel kinds by keywords."""

import re

CHANNEL_PATTERNS: dict[str, re.Pattern] = {
    kind: re.compile(pattern, re.IGNORECASE)
    for kind, pattern in {
        "press": r"báo chí|tạp chí|cơ quan báo(?! cáo)|\btrên báo\b|\bcác báo\b|báo in\b|báo điện tử|phóng sự|chuyên trang|chuyên mục",
        "web_portal": r"website|cổng thông tin|trang thông tin|cổng/trang|trang tin điện tử|cổng điện tử",
        "social_media": r"mạng xã hội|nền tảng số|\binternet\b|zalo|facebook|fanpage|tiktok|youtube|\bmxh\b",
        "broadcast": r"phát thanh|truyền hình|truyền thanh|\bloa\b|đài\b",
        "visual": r"trực quan|cổ động|pano|panô|áp phích|băng rôn|băng zôn|khẩu hiệu|bảng tin|tranh cổ động|màn hình led|\bLED\b",
        "meeting": r"tuyên truyền miệng|sinh hoạt|báo cáo viên|tuyên truyền viên|buổi họp|cuộc họp|hội nghị|khu dân cư|người có uy tín",
        "conference": r"hội thảo|tọa đàm|toạ đàm|diễn đàn",
        "training": r"đào tạo|bồi dưỡng|tập huấn|lớp học|học tập",
        "school": r"trường học|nhà trường|\bhọc sinh|sinh viên|các trường\b",
        "dialogue": r"đối thoại",
        "contest": r"cuộc thi|hội thi|thi tìm hiểu|\bthi trực tuyến",
        "handbook": r"sổ tay đảng viên",
    }.items()
}


def channel_kinds(text: str) -> list[str]:
    """The channel kinds a phrase names, in the schema's order."""
    return [kind for kind, pattern in CHANNEL_PATTERNS.items() if pattern.search(text)]
