"""Benchmark: official documents (issue 10) — the time to typeset a decision pack of 10 pages as PDF.

    uv run --group bench python bench/documents.py [--pages 10] [--repeat 7] [--save-pdf DIR]

A decision pack (application, criteria, evidence, scores, history, conclusion) is made long enough to fill
``--pages`` pages (the history grows until it does; found before any clock starts), then ``render_pdf`` runs
``--repeat`` times on it; the baseline is a pack of one page rendered as often in the same run. The first call
of the process (the font folders scanned, the template read) is reported apart. ``--save-pdf`` writes both PDFs
there to look at. The report (Markdown) goes to stdout and to var/bench/documents-<time>.md. Never asserts on
times.
"""

import argparse
import datetime
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
from bench.imports import BENCH, setup_django  # noqa: E402

EVENTS = ("提交申请", "材料补正", "受理", "现场核查", "专家评审", "评审结果公示", "局务会审议")


def decision_pack(history_rows: int, *, variant: int = 0, short: bool = False):
    """A park's certification decision pack; ``history_rows`` rows of its history make it as long as wanted.
    ``variant`` changes its number, title, score and every row of the history, so that no render finds the one
    before it in Typst's caches (which would make the second of two equal renders nearly free). ``short``: the conclusion's first
    paragraph only, no 版记: one page."""
    from core.documents import OfficialDocument, Section, Table

    criteria = [
        ["1", "园区建筑面积不少于2万平方米，产权清晰", "20", "产权证明、测绘报告"],
        ["2", "入驻企业中国家高新技术企业占比不低于30%", "30", "企业名录、资质证书"],
        ["3", "运营机构配备不少于5人的专职服务团队", "20", "劳动合同、社保记录"],
        ["4", "近两年未发生重大安全生产事故", "10", "应急管理部门证明"],
        ["5", "年度服务活动不少于12场", "20", "服务记录、活动照片"],
    ]
    scores = [[c[0], c[1], c[2], s] for c, s in zip(criteria, ["20", "24.5", "18", "10", "16"], strict=True)]
    start = datetime.date(2026, 3, 2) + datetime.timedelta(days=variant)
    history = [
        [str(n), (start + datetime.timedelta(days=2 * n)).strftime("%Y-%m-%d"), EVENTS[(n + variant) % len(EVENTS)],
         f"经办人{(n + variant) % 9 + 1}号", f"材料齐全，转入下一环节（第{variant + 1}次）。"]
        for n in range(1, history_rows + 1)
    ]
    sections = [
        Section("申请概况", [
            "你单位于2026年3月2日提交福田区科技园区认定申请。园区位于福田区梅林街道，总建筑面积3.2万平方米，"
            "现有入驻企业86家，其中国家高新技术企业31家。",
        ]),
        Section("认定标准", ["依据《福田区科技园区认定和评估办法》（福科创规〔2025〕3号），本次认定按下列标准评审。"],
                [Table(["序号", "标准", "分值", "证明材料"], criteria, widths=[1, 6, 1.2, 3])]),
        Section("证明材料", ["运营机构提交了产权证明、企业名录、劳动合同和服务记录，经现场核查，材料真实有效。"]),
        Section("评分", ["专家组按标准逐项评分如下。"],
                [Table(["序号", "标准", "分值", "得分"], scores, widths=[1, 6, 1.2, 1.2])]),
        Section("办理经过", [], [Table(["序号", "日期", "环节", "经办", "意见"], history,
                                       widths=[1.2, 2.3, 2.1, 2.1, 4.6])]),
        Section("评审结论", [f"经评审，该园区总得分为{88 + variant % 10}.5分，达到认定标准，予以认定为福田区科技园区，有效期三年。",
                             "请运营机构按要求做好年度评估工作。"]),
    ]
    if short:
        sections = [Section("评审结论", sections[-1].paragraphs[:1])]
    return OfficialDocument(
        issuer="深圳市福田区科技创新局",
        number=f"福科创〔2026〕{12 + variant}号",
        title=f"关于福田区第{variant + 1}号科技园认定评审结果的通知",
        addressee="深圳市某某园区运营管理有限公司",
        date=datetime.date(2026, 12, 6),
        sections=sections,
        copy_to="" if short else "区发展和改革局，区住房和建设局",
        printed_by="" if short else "深圳市福田区科技创新局办公室",
    )


def page_count(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def pack_of(pages: int) -> int:
    """The fewest history rows that make a pack of ``pages`` pages (more than one)."""
    from core.documents import render_pdf

    low, high = 0, 8
    while page_count(render_pdf(decision_pack(high))) < pages:
        low, high = high, high * 2
    while low < high:
        middle = (low + high) // 2
        if page_count(render_pdf(decision_pack(middle))) < pages:
            low = middle + 1
        else:
            high = middle
    return low


def timed(make, repeat: int) -> tuple[list[float], bytes]:
    """Times of ``repeat`` renders, each of another variant of the document ``make(variant)`` builds (built
    before the clock starts)."""
    from core.documents import render_pdf

    times, pdf = [], b""
    for variant in range(1, repeat + 1):
        doc = make(variant)
        started = time.perf_counter()
        pdf = render_pdf(doc)
        times.append(time.perf_counter() - started)
    return times, pdf


def fresh(history_rows: int, *, short: bool, runs: int) -> list[float]:
    """Times of one render each in ``runs`` new processes: the font folders scanned and nothing in Typst's
    caches, as a worker's first document after it starts (Python's and Django's start-up not counted)."""
    command = [sys.executable, __file__, "--one", str(history_rows)] + (["--short"] if short else [])
    return [float(subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
            for _ in range(runs)]


def one(history_rows: int, short: bool) -> None:
    setup_django()
    from core.documents import render_pdf

    doc = decision_pack(history_rows, short=short)
    started = time.perf_counter()
    render_pdf(doc)
    print(time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--fresh", type=int, default=3, help="renders in new processes, each document")
    parser.add_argument("--save-pdf", type=Path)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--short", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        return one(args.one, args.short)
    setup_django()
    import typst

    history = pack_of(args.pages)
    cases = (
        ("baseline: 1 page (the conclusion alone)", 0, True),
        (f"{args.pages} pages (the whole pack)", history, False),
    )
    rows = []
    for label, history_rows, short in cases:
        times, pdf = timed(lambda v, h=history_rows, s=short: decision_pack(h, variant=v, short=s), args.repeat)
        pages = page_count(pdf)
        rows.append((label + ", same process", history_rows, pages, len(pdf), times))
        if args.fresh:
            rows.append((label + ", new process", history_rows, pages, len(pdf),
                         fresh(history_rows, short=short, runs=args.fresh)))
        if args.save_pdf:
            args.save_pdf.mkdir(parents=True, exist_ok=True)
            (args.save_pdf / f"decision-pack-{pages}p.pdf").write_bytes(pdf)

    base = {True: statistics.median(rows[0][4]), False: statistics.median(rows[1][4]) if args.fresh else None}
    lines = [
        f"Official documents: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, Python "
        f"{platform.python_version()}, typst (Python) {typst.__version__}, {os.cpu_count()} cores, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.repeat} renders in the same process "
        f"(each of another variant), {args.fresh} in new processes",
        "",
        "| document | history rows | pages | PDF KB | runs | median ms | min ms | max ms | ms/page | ÷ baseline |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, history_rows, pages, size, times in rows:
        median = statistics.median(times)
        baseline = base[label.endswith("same process")] or median
        lines.append(
            f"| {label} | {history_rows} | {pages} | {size / 1024:.0f} | {len(times)} | {median * 1000:.0f} "
            f"| {min(times) * 1000:.0f} | {max(times) * 1000:.0f} | {median * 1000 / pages:.1f} "
            f"| {median / baseline:.2f} |"
        )
    report = "\n".join(lines)
    print(report)
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / f"documents-{datetime.datetime.now():%Y%m%d-%H%M%S}.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
