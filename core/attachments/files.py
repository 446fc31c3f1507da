"""What an uploaded file is, decided by its first bytes and never by its name or the browser's word; and how
large it may be. Both are known before the file is read as a whole (ADR 0015).

Allowed: PDF, JPEG and PNG (scans and photographs of certificates), OFD (GB/T 33190, the format of China's
electronic licences and invoices), Word .docx and Excel .xlsx. The last three are zip archives: which one is
read from the archive's directory of names at its end, without unpacking a byte; an Office file that carries
macros (vbaProject.bin) is refused, as are legacy .doc/.xls and everything else.
"""

import hashlib
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.reference import control_characters

HEAD_BYTES = 8


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    extension: str


PDF = FileType("PDF", "application/pdf", ".pdf")
JPEG = FileType("JPEG", "image/jpeg", ".jpg")
PNG = FileType("PNG", "image/png", ".png")
OFD = FileType("OFD", "application/ofd", ".ofd")
DOCX = FileType("Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
TYPES = (PDF, JPEG, PNG, OFD, DOCX, XLSX)
BY_CONTENT_TYPE = {t.content_type: t for t in TYPES}

# An archive's directory with more names than this is no document (a .docx has a few dozen).
MAX_ZIP_NAMES = 10_000


def max_bytes() -> int:
    return settings.YUANQU_ATTACHMENT_MAX_BYTES


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"


def too_large_message(size: int | None = None) -> str:
    limit = megabytes(max_bytes())
    if size is None:
        return _("The file is larger than %(limit)s MB, the most a document may be; nothing was saved. "
                 "Scan it at a lower resolution or split it.") % {"limit": limit}
    return _("The file is %(size)s MB, more than the %(limit)s MB a document may be; nothing was saved. "
             "Scan it at a lower resolution or split it.") % {"size": megabytes(size), "limit": limit}


def allowed_names() -> str:
    return "、".join(t.name for t in TYPES)


def _refused(message: str, field: str) -> ValidationError:
    return ValidationError({field: message}, code="file_type")


def check(upload, *, field: str = "file") -> FileType:
    """The type of ``upload`` (a Django UploadedFile or File), or a ValidationError on ``field``: its size is
    checked first, from what was received; then its first bytes (and, for a zip, its directory of names)."""
    size = upload.size
    if not size:
        raise ValidationError({field: _("The file is empty.")}, code="empty")
    if size > max_bytes():
        raise ValidationError({field: too_large_message(size)}, code="too_large")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload, field)
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise _refused(_("The file is a program, not a document (whatever its name says). Allowed: %(types)s.")
                       % {"types": allowed_names()}, field)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _refused(_("The file is in the old Word or Excel format (.doc, .xls), which may carry macros: save "
                         "it as PDF, .docx or .xlsx and upload that."), field)
    raise _refused(_("The file's content is not one of the allowed types (%(types)s); its name does not "
                     "decide.") % {"types": allowed_names()}, field)


def _zip_type(upload, field) -> FileType:
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_NAMES:
                raise zipfile.BadZipFile
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _refused(_("The file is a damaged or unusual zip archive; it cannot be taken as a document."),
                       field) from exc
    finally:
        upload.seek(0)
    if any(os.path.basename(name).lower() == "vbaproject.bin" for name in names):
        raise _refused(_("The document carries macros: save it without macros (.docx, .xlsx) or as PDF."), field)
    if "OFD.xml" in names:
        return OFD
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    raise _refused(_("The file is a zip archive, not a document. Allowed: %(types)s.") % {"types": allowed_names()},
                   field)


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# Marks that turn the direction of text: in a name, 合同<U+202E>fdp.exe reads as 合同exe.pdf.
_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                          "\u2066\u2067\u2068\u2069"))


def clean_name(name: str) -> str:
    """The uploader's file name as data: no directories, no control characters nor direction marks, at most 200
    characters."""
    name = control_characters.removed(os.path.basename((name or "").replace("\\", "/"))).translate(_DIRECTION_MARKS)
    name = "".join(" " if c in "\t\r\n" else c for c in name).strip().strip(".")
    if len(name) > 200:
        stem, extension = os.path.splitext(name)
        name = stem[: 200 - len(extension[:20])] + extension[:20]
    return name or _("document")


def download_name(original_name: str, content_type: str) -> str:
    """``original_name`` with the extension of what the file is (合同.pdf holding a PNG image → 合同.png)."""
    kind = BY_CONTENT_TYPE.get(content_type)
    stem, extension = os.path.splitext(clean_name(original_name))
    if kind is None:
        return stem + extension
    if extension.lower() == kind.extension or (kind is JPEG and extension.lower() in (".jpeg", ".jpe")):
        return stem + extension
    return stem + kind.extension
