"""Readers: an uploaded file (bytes or path) in, plain Unicode text out.

Pure Python, no Django. Supported: ``.txt`` and ``.md`` (UTF-8, UTF-16/32 with a BOM, Windows-1258,
Windows-1252 and the legacy Vietnamese 8-bit encodings TCVN3 (ABC) and VNI-Windows), ``.docx``
(python-docx; paragraphs and tables in document order) and ``.pdf`` (pypdf; text layer only).

The content is sniffed before the extension is trusted: a ``.txt`` that is really a PDF or a Word
file is read as what it is (with a warning); an image, a program or an old binary ``.doc`` is refused
with a :class:`DocumentError` whose Vietnamese message says what happened and what to do.
No exception other than :class:`DocumentError` leaves :func:`read_bytes` or :func:`read_path`.

Tables in a ``.docx``: each row becomes one line, its non-empty cells joined with ``" | "`` (a cell
with several paragraphs is joined with spaces). In a layout table of one or two columns (the
issuer / national motto header, the signature block), a row whose cells hold several paragraphs
gives one line per paragraph, cell after cell, so "Số: …" and "…, ngày … tháng … năm …" stay
lines of their own.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field

from loa.docparse.errors import DocumentError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
_EXTENSION_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf"}
_SUPPORTED_TEXT = ".txt, .md, .docx và .pdf"

# Zip-bomb limits, checked on the declared sizes of the central directory before anything is
# decompressed (zipfile never inflates a member past its declared size: a lie ends in a CRC error).
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_MIN_BYTES = 5 * 1024 * 1024
ZIP_MAX_MEMBERS = 5000

# A PDF whose pages average fewer non-space characters than this has no usable text layer.
PDF_MIN_CHARS_PER_PAGE = 20


@dataclass
class ReadResult:
    text: str  # NFC-normalised Unicode text, paragraphs separated by "\n"
    format: str  # "txt", "md", "docx" or "pdf"
    warnings: list[str] = field(default_factory=list)  # Vietnamese sentences describing repairs


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def read_path(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read the file at ``path``. Its size is checked before it is read."""
    try:
        raw = os.fsdecode(os.fspath(path))
    except Exception as exc:
        raise DocumentError("missing", "Đường dẫn tệp không hợp lệ. Hãy chọn lại tệp cần đọc.") from exc
    name = os.path.basename(raw.rstrip("/\\")) or raw or "tệp"
    try:
        st = os.stat(raw)
    except FileNotFoundError as exc:
        raise DocumentError(
            "missing",
            f"Không tìm thấy tệp “{name}”. Hãy kiểm tra lại đường dẫn và tên tệp rồi thử lại.",
        ) from exc
    except PermissionError as exc:
        raise _no_permission(name) from exc
    except (OSError, ValueError) as exc:
        raise DocumentError(
            "missing",
            f"Không mở được tệp “{name}” (đường dẫn không hợp lệ hoặc không truy cập được). "
            "Hãy kiểm tra lại đường dẫn rồi thử lại.",
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(
            "missing",
            f"“{name}” là một thư mục, không phải tệp. Hãy chọn một tệp văn bản ({_SUPPORTED_TEXT}).",
        )
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(
            "missing",
            f"“{name}” không phải là một tệp thông thường. Hãy chọn một tệp văn bản ({_SUPPORTED_TEXT}).",
        )
    if st.st_size > max_bytes:
        raise _too_big(name, st.st_size, max_bytes)
    try:
        with open(raw, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError as exc:
        raise _no_permission(name) from exc
    except OSError as exc:
        raise DocumentError(
            "missing",
            f"Không đọc được tệp “{name}” ({exc.strerror or type(exc).__name__}). Hãy kiểm tra lại tệp rồi thử lại.",
        ) from exc
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    return read_bytes(data, name, max_bytes=max_bytes)


def read_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read an uploaded file's bytes; ``filename`` gives the extension and the name in messages."""
    try:
        name = os.path.basename(str(filename or "").replace("\\", "/")) or "tệp"
    except Exception:
        name = "tệp"
    try:
        return _read(bytes(data), name, max_bytes)
    except DocumentError:
        raise
    except Exception as exc:  # never let a library error escape
        raise DocumentError(
            "corrupt",
            f"Không đọc được tệp “{name}”: tệp bị hỏng hoặc có cấu trúc lạ ({type(exc).__name__}). "
            "Hãy mở tệp bằng phần mềm đã tạo ra nó, lưu lại (thành .docx, .pdf hoặc .txt UTF-8) rồi thử lại.",
        ) from exc


# ---------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "ảnh PNG", True),
    (b"\xff\xd8\xff", "ảnh JPEG", True),
    (b"GIF87a", "ảnh GIF", True),
    (b"GIF89a", "ảnh GIF", True),
    (b"II*\x00", "ảnh TIFF", True),
    (b"MM\x00*", "ảnh TIFF", True),
    (b"Rar!\x1a\x07", "tệp nén RAR", False),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z", False),
    (b"\x1f\x8b", "tệp nén gzip", False),
    (b"\x7fELF", "tệp chương trình", False),
)
_OTHER_OFFICE = {
    ".doc": None,  # legacy_doc
    ".dot": None,
    ".rtf": "văn bản RTF",
    ".odt": "văn bản OpenDocument (.odt)",
    ".xls": "bảng tính Excel",
    ".xlsx": "bảng tính Excel",
    ".ods": "bảng tính OpenDocument",
    ".csv": "bảng tính CSV",
    ".ppt": "bản trình chiếu PowerPoint",
    ".pptx": "bản trình chiếu PowerPoint",
    ".odp": "bản trình chiếu OpenDocument",
}


def _read(data: bytes, name: str, max_bytes: int) -> ReadResult:
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    if not data:
        raise DocumentError(
            "empty",
            f"Tệp “{name}” trống (0 byte). Hãy kiểm tra lại và chọn tệp có nội dung văn bản.",
        )
    ext = os.path.splitext(name)[1].lower()
    ext_format = _EXTENSION_FORMATS.get(ext)
    warnings: list[str] = []

    head = data[:1024]
    pdf_at = head.find(b"%PDF-")
    if pdf_at == 0 or (pdf_at > 0 and ext_format == "pdf"):
        if ext_format != "pdf":
            warnings.append(_mismatch_warning(name, "PDF"))
        text = _read_pdf(data, name, warnings)
        return ReadResult(text, "pdf", warnings)

    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        text = _read_zip(data, name, ext, ext_format, warnings)
        return ReadResult(text, "docx", warnings)

    if data.startswith(_OLE2_MAGIC):
        _refuse_ole2(data, name, ext)

    if data.lstrip()[:5] == b"{\\rtf":
        raise DocumentError(
            "unsupported",
            f"Tệp “{name}” là văn bản RTF, Loa không đọc trực tiếp định dạng này. Hãy mở tệp bằng Word "
            "hoặc LibreOffice Writer, chọn “Lưu thành” (Save As) định dạng Word (.docx), rồi tải lên tệp .docx.",
        )

    if ext_format is None:
        _refuse_extension(name, ext)

    label, is_image = _binary_magic(data)
    if label:
        advice = (
            " Nếu đây là ảnh chụp văn bản, hãy nhận dạng chữ (OCR) rồi lưu thành .docx hoặc .txt."
            if is_image
            else f" Hãy chọn đúng tệp văn bản ({_SUPPORTED_TEXT})."
        )
        raise DocumentError("binary", f"Tệp “{name}” thực chất là {label}, không phải văn bản.{advice}")

    if ext_format == "docx":
        raise _corrupt_docx(name, "tệp không có cấu trúc nén (zip) của Word")
    if ext_format == "pdf":
        raise DocumentError(
            "corrupt",
            f"Tệp “{name}” không phải PDF hợp lệ (thiếu phần đầu “%PDF”) hoặc đã bị hỏng. "
            "Hãy tải lại tệp hoặc xuất lại PDF từ văn bản gốc.",
        )
    text = _read_text(data, name, warnings)
    return ReadResult(text, ext_format, warnings)


def _refuse_extension(name: str, ext: str) -> None:
    if ext in (".doc", ".dot"):
        raise _legacy_doc(name)
    kind = _OTHER_OFFICE.get(ext)
    shown = ext or "(không có đuôi)"
    if kind:
        raise DocumentError(
            "unsupported",
            f"Tệp “{name}” là {kind}; Loa chỉ đọc được các tệp {_SUPPORTED_TEXT}. "
            "Hãy chép nội dung văn bản sang Word và lưu thành .docx, hoặc lưu thành .pdf/.txt, rồi thử lại.",
        )
    raise DocumentError(
        "unsupported",
        f"Không hỗ trợ định dạng “{shown}” của tệp “{name}”. Loa chỉ đọc được các tệp {_SUPPORTED_TEXT}; "
        "hãy lưu văn bản sang một trong các định dạng này rồi thử lại.",
    )


def _refuse_ole2(data: bytes, name: str, ext: str) -> None:
    if _ENCRYPTED_PACKAGE in data[:65536] or _ENCRYPTED_PACKAGE in data[-65536:]:
        raise DocumentError(
            "corrupt",
            f"Tệp “{name}” được đặt mật khẩu (mã hoá) nên Loa không đọc được. Hãy mở tệp bằng Word, gỡ mật "
            "khẩu (Tệp → Thông tin → Bảo vệ tài liệu), lưu lại thành .docx rồi thử lại.",
        )
    kind = _OTHER_OFFICE.get(ext)
    if kind and ext not in (".doc", ".dot", ".rtf", ".odt"):
        raise DocumentError(
            "unsupported",
            f"Tệp “{name}” là {kind} (định dạng Office cũ); Loa chỉ đọc được các tệp {_SUPPORTED_TEXT}. "
            "Hãy chép nội dung văn bản sang Word và lưu thành .docx rồi thử lại.",
        )
    raise _legacy_doc(name)


def _binary_magic(data: bytes) -> tuple[str | None, bool]:
    for magic, label, is_image in _BINARY_MAGIC:
        if data.startswith(magic):
            return label, is_image
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "ảnh WEBP", True
    if data[:2] == b"MZ" and b"\x00" in data[:64]:
        return "tệp chương trình (.exe)", False
    return None, False


def _mismatch_warning(name: str, real: str) -> str:
    return (
        f"Tệp “{name}” thực chất là tệp {real} (đuôi tệp không khớp nội dung); đã đọc theo định dạng {real}."
    )


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.1f} KB".replace(".", ",")
    return f"{n} byte"


def _too_big(name: str, size: int, limit: int) -> DocumentError:
    return DocumentError(
        "too_big",
        f"Tệp “{name}” quá lớn ({_size(size)}); giới hạn là {_size(limit)}. Hãy bỏ bớt hình ảnh, nén ảnh "
        "hoặc tách văn bản thành các tệp nhỏ hơn rồi thử lại.",
    )


def _no_permission(name: str) -> DocumentError:
    return DocumentError(
        "missing",
        f"Không có quyền đọc tệp “{name}”. Hãy kiểm tra quyền truy cập, hoặc sao chép tệp sang thư mục "
        "khác rồi thử lại.",
    )


def _legacy_doc(name: str) -> DocumentError:
    return DocumentError(
        "legacy_doc",
        f"Tệp “{name}” là tệp Word cũ (.doc, Word 97–2003) mà Loa không đọc trực tiếp. Hãy mở tệp bằng "
        "Microsoft Word hoặc LibreOffice Writer, chọn “Lưu thành” (Save As) định dạng Word (.docx), rồi tải "
        "lên tệp .docx.",
    )


def _corrupt_docx(name: str, why: str) -> DocumentError:
    return DocumentError(
        "corrupt",
        f"Tệp “{name}” không phải tệp Word (.docx) hợp lệ hoặc đã bị hỏng ({why}). Hãy mở lại tệp bằng Word "
        "hoặc LibreOffice, chọn “Lưu thành” định dạng .docx rồi thử lại.",
    )


def _binary(name: str) -> DocumentError:
    return DocumentError(
        "binary",
        f"Tệp “{name}” không phải văn bản thuần: nội dung chứa dữ liệu nhị phân (có thể là ảnh, tệp nén "
        "hoặc tệp bị hỏng). Hãy mở tệp bằng phần mềm đã tạo ra nó và lưu lại thành .txt (UTF-8), .docx "
        "hoặc .pdf.",
    )


# ---------------------------------------------------------------------------------------------
# Plain text (.txt, .md)
# ---------------------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_STRIP_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\u00ad\u200b]")
_LINE_SEP_RE = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_TRAILING_WS_RE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def _read_text(data: bytes, name: str, warnings: list[str]) -> str:
    text, converted = _decode_text(data, name, warnings)
    if not converted:
        text = _fix_legacy_text(text, warnings)
    text = _finish(text)
    if not text.strip():
        raise DocumentError(
            "empty",
            f"Tệp “{name}” chỉ chứa khoảng trắng, không có chữ nào. Hãy kiểm tra lại và chọn tệp có nội dung "
            "văn bản.",
        )
    return text


def _decode_text(data: bytes, name: str, warnings: list[str]) -> tuple[str, bool]:
    """Return (text, legacy_conversion_done)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_utf8(data[3:], name, warnings), False
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_wide(data[len(bom) :], codec, name, warnings), False
    if b"\x00" in data:
        codec = _guess_utf16(data)
        if codec is None:
            raise _binary(name)
        return _decode_wide(data, codec, name, warnings), False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_binary(text, name)
        return text, False
    return _decode_8bit(data, name, warnings)


def _decode_utf8(data: bytes, name: str, warnings: list[str]) -> str:
    text = data.decode("utf-8", errors="replace")
    _check_binary(text, name)
    bad = text.count("\ufffd")
    if bad:
        warnings.append(f"Có {bad} chỗ không đúng mã UTF-8; đã thay bằng ký tự “\ufffd”.")
    return text


def _decode_wide(data: bytes, codec: str, name: str, warnings: list[str]) -> str:
    unit = 4 if codec.startswith("utf-32") else 2
    data = data[: len(data) - len(data) % unit]
    text = data.decode(codec, errors="replace")
    _check_binary(text, name)
    bad = text.count("\ufffd")
    if bad:
        warnings.append(f"Có {bad} chỗ không đúng mã {codec[:6].upper()}; đã thay bằng ký tự “\ufffd”.")
    return text


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even = even.count(0) / len(even)
    zero_odd = odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.02:
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.02:
        return "utf-16-be"
    return None


def _check_binary(text: str, name: str) -> None:
    sample = text[:65536]
    if not sample:
        return
    if len(_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100):
        raise _binary(name)


# Windows-1252 for 0x80–0x9F, keeping the five bytes it leaves undefined as their Latin-1 code points.
_CP1252_HIGH = {
    b: ch for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", errors="ignore")) and ch != chr(b)
}
_CP1252_TO_BYTE = {ch: b for b, ch in _CP1252_HIGH.items()}


def _latin(data: bytes) -> str:
    return data.decode("latin-1").translate(_CP1252_HIGH)


def _decode_8bit(data: bytes, name: str, warnings: list[str]) -> tuple[str, bool]:
    # Mostly UTF-8 with a few broken bytes (a file cut in the middle, a pasted fragment): keep UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 0x7F) - bad
    if good >= 5 and bad <= max(2, good // 50):
        _check_binary(lenient, name)
        warnings.append(f"Có {bad} chỗ không đúng mã UTF-8; đã thay bằng ký tự “\ufffd”.")
        return lenient, False

    base = _latin(data)
    _check_binary(base, name)
    candidates = {
        "cp1258": unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
        "tcvn3": _tcvn3_decode(base),
        "vni": _vni_decode(base),
    }
    best = _pick(candidates, _score(base))
    if best is not None:
        warnings.append(_LEGACY_WARNINGS[best])
        return candidates[best], True
    warnings.append(
        "Tệp không dùng mã UTF-8; đã đọc theo bảng mã Windows-1252. Nếu chữ tiếng Việt hiển thị sai, hãy mở "
        "tệp và lưu lại với mã UTF-8."
    )
    return base, True


def _finish(text: str) -> str:
    """Common clean-up: newlines, invisible characters, NFC, trailing spaces, blank runs."""
    text = _LINE_SEP_RE.sub("\n", text)
    text = _STRIP_RE.sub(lambda m: "\n" if m.group() == "\x0b" else "", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_WS_RE.sub("", text)
    text = _BLANK_RUN_RE.sub("\n\n", text)
    return text.strip("\n")


# ---------------------------------------------------------------------------------------------
# Legacy Vietnamese encodings: TCVN3 (ABC) and VNI-Windows
# ---------------------------------------------------------------------------------------------

_LEGACY_WARNINGS = {
    "tcvn3": "Đã chuyển mã từ TCVN3 (ABC) sang Unicode.",
    "vni": "Đã chuyển mã từ VNI-Windows sang Unicode.",
    "cp1258": "Đã chuyển mã từ Windows-1258 sang Unicode.",
    "utf8x2": "Đã sửa chữ tiếng Việt bị lỗi mã (UTF-8 bị đọc nhầm theo Windows-1252).",
}

# TCVN 5712:1993 VN3 ("ABC", fonts .VnTime …): one byte a letter. It has codes for the seven
# uppercase base letters only; uppercase toned letters were typed with the lowercase codes in an
# uppercase font (.VnTimeH), so the decoder restores their case from the surrounding word.
_TCVN3_CODES = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip
_TCVN3_DECODE = {code: ch for ch, code in _TCVN3_CODES.items()}
# Lowercase toned letters: the ones whose uppercase form TCVN3 cannot write.
_TCVN3_CASELESS = frozenset(ch for ch in _TCVN3_CODES if ch.islower() and ch not in "ăâêôơưđ")
# Unicode → TCVN3 (as Latin-1 characters), uppercase toned letters written with the lowercase code.
_TCVN3_ENCODE = {ch: chr(code) for ch, code in _TCVN3_CODES.items()}
_TCVN3_ENCODE.update({ch.upper(): chr(_TCVN3_CODES[ch]) for ch in _TCVN3_CASELESS})

# VNI-Windows (fonts VNI-Times …): a base letter followed by a mark byte; a few letters are one byte.
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc, huyền, hỏi, ngã, nặng
_VNI_TONE = {"\u0301": "ùÙ", "\u0300": "øØ", "\u0309": "ûÛ", "\u0303": "õÕ", "\u0323": "ïÏ"}
_VNI_CIRCUMFLEX = {"": "âÂ", "\u0301": "áÁ", "\u0300": "àÀ", "\u0309": "åÅ", "\u0303": "ãÃ", "\u0323": "äÄ"}
_VNI_BREVE = {"": "êÊ", "\u0301": "éÉ", "\u0300": "èÈ", "\u0309": "úÚ", "\u0303": "üÜ", "\u0323": "ëË"}
_VNI_I = {"\u0300": "ìÌ", "\u0301": "íÍ", "\u0309": "æÆ", "\u0303": "óÓ", "\u0323": "òÒ"}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}

    def put(letter: str, seq_lower: str, seq_upper: str) -> None:
        letter = unicodedata.normalize("NFC", letter)
        table[letter] = seq_lower
        table[letter.upper()] = seq_upper

    for tone in _TONES:
        for base in "aeouy":
            mark = "îÎ" if (base == "y" and tone == "\u0323") else _VNI_TONE[tone]
            put(base + tone, base + mark[0], base.upper() + mark[1])
        put("i" + tone, _VNI_I[tone][0], _VNI_I[tone][1])
        for base, vni in (("o\u031b", "ôÔ"), ("u\u031b", "öÖ")):  # ơ, ư
            put(base + tone, vni[0] + _VNI_TONE[tone][0], vni[1] + _VNI_TONE[tone][1])
    for tone, marks in _VNI_CIRCUMFLEX.items():
        for base in "aeo":
            put(base + "\u0302" + tone, base + marks[0], base.upper() + marks[1])
    for tone, marks in _VNI_BREVE.items():
        put("a\u0306" + tone, "a" + marks[0], "A" + marks[1])
    put("o\u031b", "ô", "Ô")
    put("u\u031b", "ö", "Ö")
    put("đ", "ñ", "Ñ")
    return table


_VNI_ENCODE = _build_vni()  # Unicode letter → VNI-Windows sequence (as Latin-1 characters)
_VNI_DECODE = {seq: ch for ch, seq in _VNI_ENCODE.items()}
_VNI_DECODE.update({"yï": "ỵ", "YÏ": "Ỵ"})  # nặng written with the ordinary mark
_VNI_RE = re.compile("|".join(re.escape(s) for s in sorted(_VNI_DECODE, key=len, reverse=True)))

# Letters that exist in Vietnamese Unicode but in none of the Latin-1-based mojibakes.
_VN_SPECIFIC_RE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_HIGH_LATIN_RE = re.compile("[\u0080-\u00ff]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_CASE_GAP_RE = re.compile(r"[ \t,.;\-–]+")
_ALNUM_RE = re.compile(r"[^\W_]")


def _tcvn3_decode(text: str) -> str:
    decoded = text.translate(_TCVN3_DECODE)
    if any(ch in _TCVN3_CASELESS for ch in decoded):
        decoded = "\n".join(_restore_case(line) for line in decoded.split("\n"))
    return decoded


def _restore_case(line: str) -> str:
    """Uppercase the toned letters of an uppercase word (TCVN3 had no uppercase toned codes)."""
    tokens = list(_WORD_RE.finditer(line))
    if not tokens or not any(ch in _TCVN3_CASELESS for ch in line):
        return line

    def others(tok: str) -> tuple[int, int]:
        upper = lower = 0
        for ch in tok:
            if ch in _TCVN3_CASELESS:
                continue
            if ch.isupper():
                upper += 1
            elif ch.islower():
                lower += 1
        return upper, lower

    def shouting(tok: str) -> bool:
        upper, lower = others(tok)
        return len(tok) >= 2 and upper >= 1 and lower == 0

    pieces, last = [], 0
    for i, match in enumerate(tokens):
        tok = match.group()
        if any(ch in _TCVN3_CASELESS for ch in tok):
            upper, lower = others(tok)
            make_upper = False
            if lower == 0 and upper >= 2:
                make_upper = True
            elif lower == 0:
                neighbours = []
                if i > 0 and _CASE_GAP_RE.fullmatch(line, tokens[i - 1].end(), match.start()):
                    neighbours.append(tokens[i - 1].group())
                if i + 1 < len(tokens) and _CASE_GAP_RE.fullmatch(line, match.end(), tokens[i + 1].start()):
                    neighbours.append(tokens[i + 1].group())
                make_upper = bool(neighbours) and all(shouting(n) for n in neighbours)
            replacement = tok.upper() if make_upper else tok
            if (
                not make_upper
                and i == 0
                and tok[0] in _TCVN3_CASELESS
                and not _ALNUM_RE.search(line, 0, match.start())
            ):
                replacement = tok[0].upper() + tok[1:]  # a line starts with a capital
            if replacement != tok:
                pieces.append(line[last : match.start()])
                pieces.append(replacement)
                last = match.end()
    pieces.append(line[last:])
    return "".join(pieces)


def _vni_decode(text: str) -> str:
    return _VNI_RE.sub(lambda m: _VNI_DECODE[m.group()], text)


def _utf8x2_decode(text: str) -> str | None:
    """Undo UTF-8 bytes that were read as Windows-1252 ("Cá»™ng" → "Cộng"); None when not that."""
    raw = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            raw.append(code)
        elif ch in _CP1252_TO_BYTE:
            raw.append(_CP1252_TO_BYTE[ch])
        else:
            return None
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


_TONE_MARKS = frozenset(_TONES)
_NUCLEI = (
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu "
    "ai ao au ay âu ây eo êu ia iê yê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu "
    "a ă â e ê i y o ô ơ u ư"
).split()
_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"(?:" + "|".join(_NUCLEI) + r")"
    r"(?:ch|nh|ng|[cmnpt])?"
)


def _is_syllable(word: str) -> bool:
    """Whether ``word`` is shaped like a Vietnamese syllable (one tone on a vowel, known rhyme)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept: list[str] = []
    base = ""
    tones = 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch in _TONE_MARKS:
                tones += 1
                if tones > 1 or base not in "aeiouy" or not base:
                    return False
                continue
            if (
                (ch == "\u0302" and base in "aeo")
                or (ch == "\u0306" and base == "a")
                or (ch == "\u031b" and base in "ou")
            ) and base:
                kept.append(ch)
                continue
            return False
        base = ch
        kept.append(ch)
    return _SYLLABLE_RE.fullmatch(unicodedata.normalize("NFC", "".join(kept))) is not None


def _score(text: str, limit: int = 4000) -> tuple[int, int]:
    """(valid, invalid) counts of Vietnamese syllable shapes among the words with non-ASCII letters."""
    valid = invalid = 0
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        if _is_syllable(word):
            valid += 1
        else:
            invalid += 1
        if valid + invalid >= limit:
            break
    return valid, invalid


def _clearly_better(candidate: tuple[int, int], base: tuple[int, int]) -> bool:
    cand_valid, cand_invalid = candidate
    base_valid, base_invalid = base
    return (
        cand_valid >= 3
        and cand_valid >= 3 * cand_invalid
        and cand_valid - cand_invalid >= base_valid - base_invalid + 3
        and cand_valid >= 1.5 * base_valid
    )


def _pick(candidates: dict[str, str], base_score: tuple[int, int]) -> str | None:
    """The key of the candidate decoding that is clearly more Vietnamese than the original, if any."""
    best, best_net = None, None
    for key, text in candidates.items():
        score = _score(text)
        net = score[0] - score[1]
        if _clearly_better(score, base_score) and (best_net is None or net > best_net):
            best, best_net = key, net
    return best


def _fix_legacy_text(text: str, warnings: list[str]) -> str:
    """Convert TCVN3 / VNI / doubly-encoded UTF-8 that reached us as Unicode (a UTF-8 file, a Word
    document typed with .VnTime fonts, a PDF). Lines that already hold Vietnamese Unicode letters are
    left as they are; when the evidence is weak, nothing is changed."""
    if text.isascii() or not _HIGH_LATIN_RE.search(text):
        return text
    lines = text.split("\n")
    suspect = [
        i for i, line in enumerate(lines) if _HIGH_LATIN_RE.search(line) and not _VN_SPECIFIC_RE.search(line)
    ]
    if not suspect:
        return text
    sample_parts, size = [], 0
    for i in suspect:
        sample_parts.append(lines[i])
        size += len(lines[i])
        if size > 200_000:
            break
    sample = "\n".join(sample_parts)
    decoders = {"tcvn3": _tcvn3_decode, "vni": _vni_decode}
    candidates = {key: decode(sample) for key, decode in decoders.items()}
    doubled = _utf8x2_decode(sample)
    if doubled is not None:
        candidates["utf8x2"] = doubled
    best = _pick(candidates, _score(sample))
    if best is None:
        return text
    for i in suspect:
        if best == "utf8x2":
            fixed = _utf8x2_decode(lines[i])
            if fixed is not None:
                lines[i] = fixed
        else:
            lines[i] = decoders[best](lines[i])
    warnings.append(_LEGACY_WARNINGS[best])
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Word (.docx)
# ---------------------------------------------------------------------------------------------


def _read_zip(data: bytes, name: str, ext: str, ext_format: str | None, warnings: list[str]) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if ext_format in (None, "docx") or ext in (".doc", ".docm"):
            raise _corrupt_docx(name, "cấu trúc nén (zip) bị hỏng") from exc
        raise _binary(name) from exc
    _check_zip_bomb(infos, name)
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        kind = None
        if any(n.startswith("xl/") for n in names):
            kind = "bảng tính Excel"
        elif any(n.startswith("ppt/") for n in names):
            kind = "bản trình chiếu PowerPoint"
        elif "content.xml" in names and "mimetype" in names:
            kind = "tệp OpenDocument (LibreOffice)"
        if ext_format == "docx":
            raise _corrupt_docx(name, f"đây là {kind}" if kind else "thiếu phần nội dung word/document.xml")
        if kind:
            raise DocumentError(
                "unsupported",
                f"Tệp “{name}” là {kind}; Loa chỉ đọc được các tệp {_SUPPORTED_TEXT}. Hãy chép nội dung "
                "văn bản sang Word và lưu thành .docx, hoặc lưu thành .pdf/.txt, rồi thử lại.",
            )
        if ext_format is None:
            _refuse_extension(name, ext)
        raise DocumentError(
            "unsupported",
            f"Tệp “{name}” là một tệp nén (zip), không phải văn bản. Hãy giải nén và chọn tệp văn bản bên "
            f"trong ({_SUPPORTED_TEXT}).",
        )
    if ext_format != "docx":
        warnings.append(_mismatch_warning(name, "Word (.docx)"))
    body = _docx_body(data, archive, name)
    lines: list[str] = []
    _walk_blocks(body, lines)
    text = _fix_legacy_text("\n".join(lines), warnings)
    text = _finish(text)
    if not text.strip():
        if any(n.startswith("word/media/") for n in names):
            raise DocumentError(
                "scanned",
                f"Tệp Word “{name}” chỉ chứa hình ảnh (có thể là ảnh chụp hoặc bản quét văn bản), không có chữ. "
                "Hãy dùng phần mềm nhận dạng chữ (OCR) để chuyển ảnh thành văn bản, hoặc tải lên bản gốc có chữ.",
            )
        raise DocumentError(
            "empty",
            f"Tệp Word “{name}” không có chữ nào. Hãy kiểm tra lại và chọn tệp có nội dung văn bản.",
        )
    return text


def _check_zip_bomb(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > ZIP_MAX_MEMBERS:
        raise DocumentError(
            "zip_bomb",
            f"Tệp “{name}” chứa {len(infos)} thành phần nén, nhiều bất thường; có thể là tệp độc hại (“bom "
            "nén”) nên Loa không mở. Hãy kiểm tra nguồn gốc tệp, hoặc chép nội dung sang một tệp Word mới.",
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > ZIP_MAX_RATIO:
            raise DocumentError(
                "zip_bomb",
                f"Tệp “{name}” có thành phần “{info.filename}” giải nén ra {_size(info.file_size)} (gấp "
                f"{ratio:.0f} lần dung lượng nén), dấu hiệu của tệp độc hại (“bom nén”) nên Loa không mở. "
                "Hãy kiểm tra nguồn gốc tệp, hoặc chép nội dung sang một tệp Word mới.",
            )
    if total > ZIP_MAX_TOTAL_BYTES:
        raise DocumentError(
            "zip_bomb",
            f"Tệp “{name}” giải nén ra {_size(total)}, vượt giới hạn {_size(ZIP_MAX_TOTAL_BYTES)}; có thể là tệp "
            "độc hại (“bom nén”) nên Loa không mở. Hãy kiểm tra nguồn gốc tệp, hoặc bỏ bớt hình ảnh rồi lưu lại.",
        )


def _docx_body(data: bytes, archive: zipfile.ZipFile, name: str):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    try:
        return docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:
        # Macro-enabled documents and templates (.docm, .dotx) are refused by python-docx for their
        # content type only; their body is the same, so read it with python-docx's safe XML parser.
        try:
            root = parse_xml(archive.read("word/document.xml"))
            body = root.find(qn("w:body"))
        except Exception:
            body = None
        if body is None:
            raise _corrupt_docx(name, "phần nội dung word/document.xml bị hỏng") from exc
        return body


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


_W_P, _W_TBL, _W_TR, _W_TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
_W_T, _W_TAB, _W_PTAB, _W_BR, _W_CR = _w("t"), _w("tab"), _w("ptab"), _w("br"), _w("cr")
_W_NB_HYPHEN = _w("noBreakHyphen")
_W_TXBX = _w("txbxContent")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees that hold no visible text of the body (properties, deleted or moved-away text, comments).
_SKIP = frozenset(
    {_w("pPr"), _w("rPr"), _w("tblPr"), _w("trPr"), _w("tcPr"), _w("sectPr"), _w("del"), _w("moveFrom"),
     _w("delText"), _w("instrText"), _w("delInstrText"), _w("sdtPr"), _w("sdtEndPr"), _w("tblGrid"),
     _w("footnoteReference"), _w("endnoteReference"), _w("commentReference"), _w("sym"), _MC_FALLBACK}
)  # fmt: skip


def _walk_blocks(parent, out: list[str]) -> None:
    """Paragraphs and tables of ``parent`` (body, cell, text box, content control), in order."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _W_P:
            _emit_paragraph(child, out)
        elif tag == _W_TBL:
            _emit_table(child, out)
        elif isinstance(tag, str) and tag not in _SKIP:
            _walk_blocks(child, out)  # w:sdt, w:sdtContent, w:customXml, w:ins, mc:AlternateContent …


def _emit_paragraph(p, out: list[str]) -> None:
    parts: list[str] = []
    boxes: list = []

    def visit(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == _W_T:
                parts.append(child.text or "")
            elif tag in (_W_TAB, _W_PTAB):
                parts.append("\t")
            elif tag in (_W_BR, _W_CR):
                parts.append("\n")
            elif tag == _W_NB_HYPHEN:
                parts.append("-")
            elif tag == _W_TXBX:
                boxes.append(child)
            elif isinstance(tag, str) and tag not in _SKIP:
                visit(child)

    visit(p)
    out.extend("".join(parts).split("\n"))
    for box in boxes:
        _walk_blocks(box, out)


def _table_rows(tbl):
    for child in tbl.iterchildren():
        if child.tag == _W_TR:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _SKIP and child.tag not in (_W_P, _W_TBL):
            yield from _table_rows(child)  # rows wrapped in w:sdt / w:customXml


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == _W_TC:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _SKIP:
            yield from _row_cells(child)


def _emit_table(tbl, out: list[str]) -> None:
    grid = tbl.find(_w("tblGrid"))
    rows = list(_table_rows(tbl))
    columns = len(grid.findall(_w("gridCol"))) if grid is not None else 0
    if not columns:
        columns = max((sum(1 for _ in _row_cells(tr)) for tr in rows), default=0)
    for tr in rows:
        cells: list[list[str]] = []
        for tc in _row_cells(tr):
            lines: list[str] = []
            _walk_blocks(tc, lines)
            lines = [" ".join(line.split()) for line in lines]
            lines = [line for line in lines if line]
            if lines and (not cells or cells[-1] != lines):  # merged cells repeat their text
                cells.append(lines)
        if not cells:
            continue
        if columns <= 2 and any(len(cell) > 1 for cell in cells):
            for cell in cells:
                out.extend(cell)
        else:
            out.append(" | ".join(" ".join(cell) for cell in cells))


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str, warnings: list[str]) -> str:
    from pypdf import PdfReader

    corrupt = DocumentError(
        "corrupt",
        f"Tệp PDF “{name}” bị hỏng hoặc không đầy đủ nên không đọc được. Hãy tải lại tệp, hoặc xuất lại PDF "
        "từ văn bản gốc rồi thử lại.",
    )
    locked = DocumentError(
        "corrupt",
        f"Tệp PDF “{name}” được bảo vệ bằng mật khẩu (mã hoá) nên Loa không đọc được. Hãy mở tệp, gỡ mật "
        "khẩu hoặc in/xuất ra một tệp PDF mới không đặt mật khẩu, rồi thử lại.",
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:
                raise locked from exc
            if not opened:
                raise locked
        pages = list(reader.pages)
    except DocumentError:
        raise
    except Exception as exc:
        raise corrupt from exc
    if not pages:
        raise corrupt

    texts: list[str] = []
    failed: list[int] = []
    for number, page in enumerate(pages, start=1):
        try:
            page_text = page.extract_text() or ""
        except Exception:
            failed.append(number)
            page_text = ""
        texts.append(page_text.strip("\n"))
    if len(failed) == len(pages):
        raise corrupt
    counts = [len("".join(t.split())) for t in texts]
    if sum(counts) < PDF_MIN_CHARS_PER_PAGE * len(pages):
        raise DocumentError(
            "scanned",
            f"Tệp PDF “{name}” là bản quét (ảnh chụp trang giấy), không có lớp chữ nên Loa không đọc được nội "
            "dung. Hãy dùng phần mềm nhận dạng chữ (OCR) để chuyển thành văn bản, hoặc tải lên bản .docx hay "
            "bản PDF xuất trực tiếp từ văn bản gốc.",
        )
    if failed:
        warnings.append(
            f"Không đọc được chữ ở trang {_page_list(failed)} của tệp PDF; các trang này bị bỏ qua."
        )
    blank = [n for n, count in enumerate(counts, start=1) if count == 0 and n not in failed]
    if blank:
        warnings.append(
            f"Trang {_page_list(blank)} của tệp PDF không có lớp chữ (có thể là ảnh quét); nội dung các trang "
            "này không được đọc."
        )
    text = _fix_legacy_text("\n\n".join(texts), warnings)
    return _finish(text)


def _page_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" và {len(numbers) - 10} trang khác" if len(numbers) > 10 else "")
