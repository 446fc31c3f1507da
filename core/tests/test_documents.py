"""Official documents: the PDF carries the document's Chinese text, laid out on A4, and no text is read as markup."""

import datetime
import io
import re

import pypdf
import pytest
from django.utils import translation

from core.documents import (
    FontNotFound,
    OfficialDocument,
    Section,
    Table,
    arabic_date,
    chinese_date,
    chinese_number,
    render_pdf,
)
from core.documents.official import font_setup

A4_POINTS = (595.28, 841.89)


def pack(**overrides) -> OfficialDocument:
    values = dict(
        issuer="深圳市福田区科技创新局",
        number="福科创〔2026〕12号",
        title="关于福田区某某科技园认定评审结果的通知",
        addressee="深圳市某某园区运营管理有限公司",
        date=datetime.date(2026, 12, 6),
        date_style="chinese",
        sections=[
            Section("认定标准", ["依据认定办法，本次认定按下列标准评审。"], [
                Table(["序号", "标准", "分值", "得分"], [
                    ["1", "园区建筑面积不少于2万平方米", "20", "20"],
                    ["2", "高新技术企业占比不低于30%", "30", "24.5"],
                ], widths=[1, 6, 1.5, 1.5]),
            ]),
            Section("评审结论", ["经评审，该园区总得分为44.5分。"]),
        ],
        copy_to="区发展和改革局",
        printed_by="深圳市福田区科技创新局办公室",
    )
    values.update(overrides)
    return OfficialDocument(**values)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """The text without the spaces and line breaks that the layout put in."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("day", "written"), [
    (datetime.date(2026, 12, 6), "二〇二六年十二月六日"),
    (datetime.date(2000, 1, 1), "二〇〇〇年一月一日"),
    (datetime.date(2026, 10, 10), "二〇二六年十月十日"),
    (datetime.date(2026, 11, 11), "二〇二六年十一月十一日"),
    (datetime.date(2027, 2, 20), "二〇二七年二月二十日"),
    (datetime.date(2030, 10, 31), "二〇三〇年十月三十一日"),
    (datetime.date(2019, 12, 21), "二〇一九年十二月二十一日"),
    (datetime.date(2105, 3, 30), "二一〇五年三月三十日"),
])
def test_chinese_date_writes_zero_as_ling_circle_and_tens_as_the_standard_does(day, written):
    assert chinese_date(day) == written
    assert "零" not in chinese_date(day)


def test_arabic_date_has_no_leading_zeros():
    assert arabic_date(datetime.date(2026, 1, 6)) == "2026年1月6日"


@pytest.mark.parametrize(("n", "written"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (45, "四十五"), (99, "九十九")])
def test_chinese_number(n, written):
    assert chinese_number(n) == written


@pytest.mark.parametrize("n", [0, 100, -1])
def test_chinese_number_refuses_what_it_cannot_write(n):
    with pytest.raises(ValueError):
        chinese_number(n)


def test_pack_renders_its_chinese_text_on_a4():
    pdf = render_pdf(pack())
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.05)
    text = flat("".join(pages_text(pdf)))
    assert "深圳市福田区科技创新局文件" in text  # the issuer's mark
    assert "福科创〔2026〕12号" in text
    assert "关于福田区某某科技园认定评审结果的通知" in text
    assert "深圳市某某园区运营管理有限公司：" in text
    assert "一、认定标准" in text and "二、评审结论" in text
    assert "园区建筑面积不少于2万平方米" in text and "24.5" in text
    assert "深圳市福田区科技创新局二〇二六年十二月六日" in text  # signature, then the date under it
    assert "抄送：区发展和改革局。" in text
    assert "深圳市福田区科技创新局办公室二〇二六年十二月六日印发" in text
    assert reader.metadata.title == "关于福田区某某科技园认定评审结果的通知"


def test_table_cells_are_read_in_their_rows():
    lines = [line.split() for line in "\n".join(pages_text(render_pdf(pack()))).splitlines()]
    assert ["序号", "标准", "分值", "得分"] in lines
    assert ["2", "高新技术企业占比不低于30%", "30", "24.5"] in lines


def test_the_same_document_gives_the_same_bytes():
    assert render_pdf(pack()) == render_pdf(pack())


def test_dates_in_arabic_numerals_as_the_2012_standard_sets_them():
    text = flat("".join(pages_text(render_pdf(pack(date_style="arabic")))))
    assert "2026年12月6日印发" in text and "二〇二六" not in text
    assert OfficialDocument(issuer="深圳市福田区科技创新局", number="福科创〔2026〕1号", title="通知",
                            date=datetime.date(2026, 12, 6)).date_style == "arabic"  # unless asked otherwise


def test_every_page_is_numbered_between_dashes():
    long_section = Section("证明材料", ["运营机构提交了产权证明、租赁台账和服务记录，经现场核查，材料真实有效。" * 6] * 12)
    pages = pages_text(render_pdf(pack(sections=[long_section])))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert flat(text).endswith(f"—{number}—")


HOSTILE = [
    '#set page(width: 5cm, height: 5cm)',
    ']',
    '$x$',
    '#panic("boom")',
    '*粗* _斜_ `code` <label> @ref ~ \\ /* 注释 */ // 行',
    '#{ 1 + 1 }',
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_prints_as_written(hostile):
    doc = pack(
        title=hostile,
        number=hostile,
        addressee=hostile,
        sections=[Section(hostile, [hostile], [Table([hostile], [[hostile]])])],
        copy_to=hostile,
    )
    pdf = render_pdf(doc)
    text = flat("".join(pages_text(pdf)))
    assert text.count(flat(hostile)) >= 6
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.05)


def test_a_title_with_its_own_line_breaks_keeps_them():
    text = pages_text(render_pdf(pack(title="关于福田区某某科技园\n认定评审结果的通知")))[0]
    assert "关于福田区某某科技园\n认定评审结果的通知" in text


def test_a_row_of_the_wrong_length_is_refused():
    doc = pack(sections=[Section("认定标准", [], [Table(["标准", "得分"], [["面积", "20", "多余"]])])])
    with pytest.raises(ValueError, match="row 1: 3 cells for 2 columns"):
        render_pdf(doc)


def test_no_cjk_font_gives_a_clear_chinese_error(settings, tmp_path):
    settings.YUANQU_PDF_FONT_PATHS = [str(tmp_path)]
    with translation.override("zh-hans"), pytest.raises(FontNotFound) as raised:
        render_pdf(pack())
    message = str(raised.value)
    assert "没有找到" in message and "中文字体" in message
    assert str(tmp_path) in message and "YUANQU_PDF_FONT_PATHS" in message and "fonts-noto-cjk" in message


def test_fonts_come_from_the_configured_folders_only(settings):
    fonts, faces = font_setup()
    assert faces == {"serif": "Noto Serif CJK SC", "sans": "Noto Sans CJK SC"}
    paths = {font.path for font in fonts.fonts() if font.path}
    assert paths and all(any(p.startswith(folder) for folder in settings.YUANQU_PDF_FONT_PATHS) for p in paths)


def test_the_signature_never_stands_alone_on_a_page():
    """However the body falls, the page with the signature and date also holds the last paragraph."""
    crossed = False
    for count in range(8, 26):
        paragraphs = [f"第{n}段，运营机构按要求报送了年度服务记录。" for n in range(1, count + 1)]
        pages = [flat(text) for text in pages_text(render_pdf(pack(sections=[Section("说明", paragraphs)],
                                                                    copy_to="", printed_by="")))]
        signed = next(text for text in pages if "深圳市福田区科技创新局二〇二六年十二月六日" in text)
        assert f"第{count}段" in signed
        crossed = crossed or not any(f"第{count - 1}段" in text for text in pages[-1:])
    assert crossed, "no length tried moved the last paragraph to a page of its own: try more lengths"


def test_a_long_code_wraps_inside_the_page_and_its_cell():
    """A run with no place to break (a file's hash, a long code) is broken rather than run off the page."""
    code = "SHA256:" + "9f86d081884c7d659a2feaa0c55ad015" * 3
    text = pages_text(render_pdf(pack(sections=[Section("校验码", [code], [Table(["校验码", "说明"], [[code, "原件"]])])])))
    lines = "\n".join(text).splitlines()
    assert flat("".join(text)).count(code) == 2  # read back whole, nothing added between its characters
    assert not any(code in line for line in lines)  # but on several lines, both times


def test_a_sans_font_alone_serves_for_both(settings):
    settings.YUANQU_PDF_FONT_PATHS = ["/usr/share/fonts/truetype/wqy"]  # fonts-wqy-microhei, from system-deps
    assert font_setup()[1] == {"serif": "WenQuanYi Micro Hei", "sans": "WenQuanYi Micro Hei"}
    assert "福科创〔2026〕12号" in flat(pages_text(render_pdf(pack()))[0])
