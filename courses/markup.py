"""Markdown to safe HTML: Python-Markdown renders, nh3 (ammonia) sanitises."""

import functools
import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
}


def render_markdown(text: str) -> SafeString:
    """Render author-written Markdown; whatever HTML it holds is sanitised, never trusted."""
    text = text or ""
    html = _kept_html(text) if len(text) <= KEPT_TEXT_CHARS else _sanitised_html(text)
    return mark_safe(html)  # noqa: S308 - nh3 output is sanitised HTML


# Rendering is a pure function of the text, so short texts' results are kept: an
# exam paper shows the same question texts to every student, and building a
# Markdown converter (it looks its extensions up in package metadata) costs more
# than converting. Long texts (lessons) are rendered each time, to bound memory.
KEPT_TEXT_CHARS = 4000


@functools.lru_cache(maxsize=4096)
def _kept_html(text: str) -> str:
    return _sanitised_html(text)


# Images come only from the exams' access-checked media view (question images): an image
# from anywhere else would tell another site who reads the page, and when.
_IMAGE_PATH_RE = re.compile(r"/exams/media/[A-Za-z0-9_-]+/[A-Za-z0-9._-]+")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Keep an <img src> only when it is a relative path to a question image."""
    if tag == "img" and name == "src":
        return value if _IMAGE_PATH_RE.fullmatch(value) else None
    return value


def _sanitised_html(text: str) -> str:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
