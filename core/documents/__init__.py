"""Documents the platform issues: official documents (公文) typeset as PDF after GB/T 9704-2012 (ADR 0022)."""

from core.documents.official import (
    FontNotFound,
    OfficialDocument,
    Section,
    Table,
    arabic_date,
    chinese_date,
    chinese_number,
    render_pdf,
)

__all__ = [
    "FontNotFound",
    "OfficialDocument",
    "Section",
    "Table",
    "arabic_date",
    "chinese_date",
    "chinese_number",
    "render_pdf",
]
