"""DOCX → PDF through LibreOffice headless, and PDF → PNG pages through pdftoppm (poppler).

Each conversion gets its own LibreOffice profile directory (concurrent conversions sharing one
silently drop jobs) and is checked: no PDF out means an error, never an empty file. Times New
Roman cannot be installed on Debian; LibreOffice draws it with the metric-compatible Liberation
Serif (package fonts-liberation), so line breaks and page breaks match Word's.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class ConversionError(RuntimeError):
    """A conversion that could not run or produced nothing; the message is Vietnamese."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float = 120) -> bytes:
    binary = soffice()
    if binary is None:
        raise ConversionError("Máy chủ chưa cài LibreOffice (soffice) nên chưa xuất được PDF.")
    with tempfile.TemporaryDirectory(prefix="loa-pdf-") as tmp:
        work = Path(tmp)
        source = work / "van-ban.docx"
        source.write_bytes(data)
        command = [
            binary,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, cwd=work)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                f"LibreOffice không chuyển xong sang PDF trong {timeout:.0f} giây."
            ) from exc
        result = work / "out" / "van-ban.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionError("LibreOffice không tạo được tệp PDF từ văn bản này.")
        return result.read_bytes()


def pdf_to_png(data: bytes, *, dpi: int = 60, first: int = 1, last: int | None = None) -> list[bytes]:
    """Render PDF pages to PNG images (to look at a layout)."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise ConversionError("Máy chủ chưa cài poppler-utils (pdftoppm) nên chưa vẽ được trang PDF.")
    with tempfile.TemporaryDirectory(prefix="loa-png-") as tmp:
        work = Path(tmp)
        (work / "in.pdf").write_bytes(data)
        command = [binary, "-r", str(dpi), "-png", "-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        subprocess.run([*command, "in.pdf", "page"], capture_output=True, timeout=120, check=False, cwd=work)
        pages = sorted(work.glob("page*.png"))
        if not pages:
            raise ConversionError("Không vẽ được trang nào từ tệp PDF.")
        return [p.read_bytes() for p in pages]
