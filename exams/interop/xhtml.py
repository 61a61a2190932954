"""Markdown as the XHTML that QTI 2.1 items hold: rendered and sanitised as our pages show it.

The text goes through the same renderer as every page (Python-Markdown, then nh3), and the
sanitised HTML is rebuilt as XML elements limited to QTI 2.1's XHTML profile, so the item is
well-formed and every player shows bold as bold.  Tags outside the profile become <span>;
attributes outside it are dropped.
"""

import re
from collections.abc import Callable
from html.parser import HTMLParser

# Only to build elements: untrusted input is always parsed with defusedxml (common.load_xml).
from xml.etree.ElementTree import Element, SubElement

from courses.markup import render_markdown

from .common import xml_safe

# QTI 2.1's XHTML elements (the "HTML profile" of imsqti_v2p1.xsd).
QTI_TAGS = frozenset({
    "abbr", "acronym", "address", "blockquote", "br", "cite", "code", "dfn", "div", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "p", "pre", "q", "samp", "span", "strong",
    "var", "dl", "dt", "dd", "ol", "ul", "li", "object", "param", "b", "big", "hr", "i",
    "small", "sub", "sup", "tt", "caption", "col", "colgroup", "table", "tbody", "tfoot",
    "thead", "td", "th", "tr", "img", "a",
})  # fmt: skip
_COMMON = frozenset({"id", "class", "label"})
QTI_ATTRIBUTES = {
    "a": {"href", "type"},
    "img": {"src", "alt", "longdesc", "height", "width"},
    "td": {"headers", "scope", "abbr", "axis", "rowspan", "colspan"},
    "th": {"headers", "scope", "abbr", "axis", "rowspan", "colspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "table": {"summary"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "object": {"data", "type", "width", "height"},
    "param": {"name", "value", "valuetype", "type"},
}
_VOID = frozenset({"br", "hr", "img", "col", "param", "area", "wbr", "input", "source"})


def _append_text(parent: Element, text: str) -> None:
    """Add text after the last child of an element, or as its text."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _Builder(HTMLParser):
    """Rebuilds sanitised HTML as elements under a parent, QTI's profile only."""

    def __init__(
        self,
        parent: Element,
        text: Callable[[Element, str], None],
        images: Callable[[str], str | None] | None = None,
    ):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, Element]] = [("", parent)]
        self.text = text
        self.images = images

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        name = tag if tag in QTI_TAGS else "span"
        allowed = _COMMON | QTI_ATTRIBUTES.get(name, set())
        kept = {k: xml_safe(v) for k, v in attrs if k in allowed and v is not None}
        if name == "img":
            kept.setdefault("alt", "")
            if self.images and kept.get("src"):
                kept["src"] = self.images(kept["src"]) or kept["src"]
        return SubElement(self.stack[-1][1], name, kept)

    def handle_starttag(self, tag, attrs):
        element = self._open(tag, attrs)
        if tag not in _VOID:
            self.stack.append((tag, element))

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs)

    def handle_endtag(self, tag):
        tags = [t for t, _e in self.stack]
        if tag in tags[1:]:
            del self.stack[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data):
        self.text(self.stack[-1][1], data)


def write_markdown(
    parent: Element,
    text: str,
    *,
    inline: bool = False,
    gap: Callable[[Element, int], None] | None = None,
    images: Callable[[str], str | None] | None = None,
) -> None:
    """Render Markdown into parent as QTI XHTML.

    inline: a text that is one plain paragraph goes in without its <p> (for choices).
    gap: called for each [[n]] in the text, to put an interaction in its place.
    images: gives the address an image has in the package (None keeps the one it has).
    """

    def add_text(element: Element, data: str) -> None:
        if gap is None:
            _append_text(element, data)
            return
        for piece in re.split(r"(\[\[\d+\]\])", data):
            number = re.fullmatch(r"\[\[(\d+)\]\]", piece)
            if number:
                gap(element, int(number.group(1)))
            elif piece:
                _append_text(element, piece)

    holder = Element("holder")
    builder = _Builder(holder, add_text, images)
    builder.feed(str(render_markdown(xml_safe(text))))
    builder.close()
    # Between blocks there is only the renderer's line breaks.
    holder.text = (holder.text or "").strip() or None
    for child in holder:
        child.tail = (child.tail or "").strip() or None
    lone = len(holder) == 1 and holder.text is None and holder[0].tail is None
    if inline and lone and holder[0].tag == "p" and not holder[0].attrib:
        holder = holder[0]
    _append_text(parent, holder.text or "")
    for child in list(holder):
        parent.append(child)
