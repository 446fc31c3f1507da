"""The home page: the blocks and figures the apps contribute, in the order of the weights they declare.

An app declares them in its ``home.py``, which core imports when the apps are ready (``CoreConfig.ready``):

- ``add_section(key, template=…, weight=…, context=…, scripts=…)``: a block of the page. ``context(request,
  page)`` returns what the block's template needs, or None when this user is not shown the block; what it
  returns is added to the page's context, so a later block may build on it. ``scripts`` are static files the
  page loads when the block is shown.
- ``add_figure(section, label, value, weight=…, url_name=…, tone=…)``: a number in a block's row of figures
  (the block's template shows ``section.figures`` with ``core/home_figures.html``); ``value(request, page)``
  counts it, in the user's scope.
- ``add_context(section, provider)``: a later app adds to an earlier app's block, as
  ``core.surfaces.extensions.add_detail_context`` does for detail pages (``provider(request, page) -> dict``).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    weight: int
    context: Callable
    scripts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    section: str
    label: str
    value: Callable
    weight: int
    url_name: str | None = None  # the page the figure links to
    tone: str = ""  # a Bootstrap colour for the number: "warning", "danger"


SECTIONS: dict[str, Section] = {}
FIGURES: list[Figure] = []
CONTEXT: dict[str, list[Callable]] = defaultdict(list)


def add_section(key: str, *, template: str, weight: int, context: Callable, scripts: tuple[str, ...] = ()) -> Section:
    SECTIONS[key] = Section(key=key, template=template, weight=weight, context=context, scripts=tuple(scripts))
    return SECTIONS[key]


def add_figure(section: str, label, value: Callable, *, weight: int, url_name: str | None = None,
               tone: str = "") -> Figure:
    figure = Figure(section=section, label=label, value=value, weight=weight, url_name=url_name, tone=tone)
    FIGURES.append(figure)
    return figure


def add_context(section: str, provider: Callable) -> None:
    CONTEXT[section].append(provider)


def _url(name: str | None) -> str:
    try:
        return reverse(name) if name else ""
    except NoReverseMatch:
        return ""


def page_context(request) -> dict:
    """The home page's context for this user: the blocks shown (``home_sections``, each with its template and
    figures), what their templates need, and the scripts they load (``home_scripts``)."""
    page = {"today": datetime.date.today()}
    sections, scripts = [], []
    for section in sorted(SECTIONS.values(), key=lambda s: s.weight):
        extra = section.context(request, page)
        if extra is None:
            continue
        page.update(extra)
        for provider in CONTEXT.get(section.key, []):
            page.update(provider(request, page))
        figures = [{"label": f.label, "value": f.value(request, page), "url": _url(f.url_name), "tone": f.tone}
                   for f in sorted((f for f in FIGURES if f.section == section.key), key=lambda f: f.weight)]
        sections.append({"key": section.key, "template": section.template, "figures": figures})
        scripts += [script for script in section.scripts if script not in scripts]
    page.update(home_sections=sections, home_scripts=scripts)
    return page
