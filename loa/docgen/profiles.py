"""Format profiles: the layout rules of one document system, as versioned data files.

``nd30-2020`` — state bodies (Nghị định 30/2020/NĐ-CP, Phụ lục I); ``hd36-2018`` — Party bodies
(Hướng dẫn 36-HD/VPTW). A newer rule is a new file with a new id (or a higher ``version``),
never an edit of the code. :func:`profile_for_issuer` picks one from the issuing body's name.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

PROFILE_DIR = Path(__file__).with_name("profiles")
STATE, PARTY = "nd30-2020", "hd36-2018"

# Issuers whose documents follow the Party's rules: Party committees, their boards and offices.
_PARTY = re.compile(
    r"\b(ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG BỘ|THÀNH ỦY|THÀNH UỶ|TỈNH ỦY|TỈNH UỶ|HUYỆN ỦY|QUẬN ỦY|CHI BỘ|"
    r"BAN TUYÊN GIÁO|BAN DÂN VẬN|BAN TỔ CHỨC|ỦY BAN KIỂM TRA|BAN CHẤP HÀNH|BAN THƯỜNG VỤ|BỘ CHÍNH TRỊ|"
    r"BAN BÍ THƯ|TRUNG ƯƠNG ĐẢNG)\b",
    re.IGNORECASE,
)


class ProfileError(ValueError):
    pass


@cache
def load_profile(profile_id: str) -> dict:
    path = PROFILE_DIR / f"{profile_id}.json"
    if not re.fullmatch(r"[a-z0-9-]+", profile_id) or not path.is_file():
        raise ProfileError(f"Không có mẫu trình bày “{profile_id}”.")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("id") != profile_id:
        raise ProfileError(f"Tệp mẫu {path.name} ghi sai mã ({data.get('id')}).")
    return data


def available() -> list[dict]:
    return [load_profile(p.stem) for p in sorted(PROFILE_DIR.glob("*.json"))]


def profile_for_issuer(issuer: str, parent: str = "") -> str:
    """The profile an issuing body writes in: Party bodies use the Party's, everyone else the state's."""
    return PARTY if _PARTY.search(f"{parent} {issuer}".upper()) else STATE
