"""Workbooks put together part by part, for the tests of what a file may make the reader do: a few KB on disk
each, however much they unpack to. ``workbook`` writes with zipfile; ``packed`` writes the zip by hand, so that
a part's stream and the sizes the zip declares for it can differ (a zip's declared sizes can lie)."""

import io
import struct
import zipfile
import zlib

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def fixed_parts(sheet_names, shared_strings: bool = False) -> dict:
    sheets = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheet_names, 1))
    targets = "".join(
        f'<Relationship Id="rId{i}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheet_names) + 1))
    if shared_strings:
        targets += f'<Relationship Id="rIdS" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheet_names) + 1))
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            f'/>{overrides}</Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            f'{sheets}</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">{targets}</Relationships>'),
    }


def sheet_xml(rows_xml: str = "", *, dimension: str = "") -> str:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{head}<sheetData>{rows_xml}</sheetData></worksheet>'


def header_row(cells) -> str:
    """Row 1 with inline strings in A1, B1, …"""
    return '<row r="1">' + "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{text}</t></is></c>' for i, text in enumerate(cells)) + "</row>"


def workbook(sheets: dict, *, shared_strings=None) -> bytes:
    """``sheets``: name → the sheet's XML, as a string or an iterable of byte pieces (streamed, so a sheet may
    unpack to far more than the test keeps in memory); ``shared_strings`` likewise."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in fixed_parts(list(sheets), shared_strings is not None).items():
            archive.writestr(name, text)
        parts = {f"xl/worksheets/sheet{i}.xml": xml for i, xml in enumerate(sheets.values(), 1)}
        if shared_strings is not None:
            parts["xl/sharedStrings.xml"] = shared_strings
        for name, content in parts.items():
            with archive.open(name, "w", force_zip64=True) as handle:
                for piece in [content] if isinstance(content, str) else content:
                    handle.write(piece.encode() if isinstance(piece, str) else piece)
    return buffer.getvalue()


def repeated(piece: str, times: int, *, before: str = "", after: str = ""):
    """``before``, ``piece`` × ``times``, ``after`` as byte pieces of about a MB."""
    yield before.encode()
    per = max(1, (1 << 20) // len(piece))
    block = (piece * per).encode()
    whole, rest = divmod(times, per)
    for _ in range(whole):
        yield block
    yield (piece * rest + after).encode()


def deflated_repeat(before: bytes, block: bytes, times: int, after: bytes) -> bytes:
    """A raw deflate stream of ``before`` + ``block`` × ``times`` + ``after``, made without inflating it: after a
    full flush a compressor has forgotten its history, so the same block packs to the same bytes each time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    stream = packer.compress(before) + packer.flush(zlib.Z_FULL_FLUSH)
    once = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == once
    return stream + once * times + packer.compress(after) + packer.flush()


def packed(parts: dict) -> bytes:
    """A zip written by hand. ``parts``: name → text (deflated honestly) or (raw deflate stream, declared size),
    the size the zip then claims for it whatever the stream unpacks to."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, content in parts.items():
        if isinstance(content, str):
            data = content.encode()
            packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
            stream, size, crc = packer.compress(data) + packer.flush(), len(data), zlib.crc32(data)
        else:
            (stream, size), crc = content, 0
        encoded = name.encode()
        offset = body.tell()
        body.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(stream), size,
                               len(encoded), 0) + encoded + stream)
        directory.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(stream),
                                    size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start, listing = body.tell(), directory.getvalue()
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(listing), start, 0)
    return body.getvalue() + listing + end
