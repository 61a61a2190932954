"""Question images moving in and out with a file: what is accepted, and how texts name them.

In a bank, a text shows an image with a Markdown image (or, in imported HTML, an <img>) whose
address is the media view's: ``/exams/media/<token>/<name>``.  A parser that finds an image
in a file checks it here (PNG, JPEG, GIF or WebP by its first bytes, SVG refused because it
can hold scripts, at most EXAMS_MEDIA_MAX_MB) and puts it in the report's ``media`` by its
SHA-256; the text names it ``media-pending:<sha256>`` until the import saves it and writes
the real address in (exams.imports).  An export is given the bank's files by address and
puts them in the file where the format can hold them.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# The media view's path (exams/urls.py, under /exams/); the Markdown sanitiser allows
# images from here only (courses.markup).
MEDIA_PATH = "/exams/media/"
PENDING = "media-pending:"
PENDING_RE = re.compile(r"media-pending:([0-9a-f]{64})")
# /exams/media/<token>/<name>: tokens are URL-safe base64, names are storage-safe.
MEDIA_URL_RE = re.compile(r"/exams/media/([A-Za-z0-9_-]{8,64})/([A-Za-z0-9._-]{1,100})")
DEFAULT_MAX_MB = 2
# An image's address in a text: <img … src="…"> (HTML) or ![alt](…) (Markdown).
_IMG_SRC_RE = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])([^\"']*)\2", re.IGNORECASE)
_MD_IMG_RE = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)")
# The types a question image may be, by their first bytes, with the extension they get.
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


@dataclass(frozen=True)
class MediaFile:
    """An image read from a file, or one of a bank's images written into a file."""

    name: str
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    """The largest image accepted (EXAMS_MEDIA_MAX_MB, 2 MB by default)."""
    return int(float(getattr(settings, "EXAMS_MEDIA_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def sniff(data: bytes) -> str | None:
    """The image type by the file's first bytes: PNG, JPEG, GIF or WebP; else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _looks_like_svg(data: bytes, name: str) -> bool:
    head = data[:1024].lstrip().lower()
    return name.lower().endswith((".svg", ".svgz")) or b"<svg" in head or head.startswith(b"<?xml")


def media_problem(data: bytes, name: str) -> str | None:
    """Why an image cannot be a question image (type or size), or None."""
    if len(data) > max_bytes():
        return _("%(name)s is %(size)s MB; images of at most %(max)s MB are accepted") % {
            "name": name,
            "size": f"{len(data) / 1048576:.1f}",
            "max": f"{max_bytes() / 1048576:.1f}",
        }
    if sniff(data):
        return None
    if _looks_like_svg(data, name):
        return _("%(name)s is an SVG image, which can hold scripts; SVG is refused") % {
            "name": name
        }
    return _("%(name)s is not a PNG, JPEG, GIF or WebP image") % {"name": name}


def checked(data: bytes, name: str) -> tuple[MediaFile | None, str | None]:
    """(the image, None) when it is accepted, else (None, why not)."""
    problem = media_problem(data, name)
    if problem:
        return None, problem
    return MediaFile(name=name, data=data, content_type=sniff(data) or ""), None


def rewrite_images(text: str, change: Callable[[str], str | None]) -> str:
    """The text with each image address (HTML or Markdown) replaced by change(address).

    change returns the new address, or None to leave that one as it is.
    """

    def html(match: re.Match) -> str:
        new = change(match.group(3))
        return (
            match.group(0)
            if new is None
            else f"{match.group(1)}{match.group(2)}{new}{match.group(2)}"
        )

    def markdown(match: re.Match) -> str:
        new = change(match.group(2))
        return match.group(0) if new is None else match.group(1) + new

    return _MD_IMG_RE.sub(markdown, _IMG_SRC_RE.sub(html, text))


def pending(file: MediaFile) -> str:
    """What an imported text says in place of the image's address until it is saved."""
    return f"{PENDING}{file.sha256}"


def map_strings(value, change: Callable[[str], str]):
    """A copy of a question (or any part of one) with `change` applied to every string."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [map_strings(v, change) for v in value]
    if isinstance(value, dict):
        return {k: map_strings(v, change) for k, v in value.items()}
    return value


def strings(value) -> list[str]:
    """Every string in a question (or part of one)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    return []


def media_urls(question: dict) -> list[str]:
    """The addresses of the bank images a question shows, in order, once each."""
    found = (m.group(0) for s in strings(question) for m in MEDIA_URL_RE.finditer(s))
    return list(dict.fromkeys(found))


def url_name(url: str) -> str:
    """The file name at the end of an image address."""
    return url.rsplit("/", 1)[-1]


def resolve_pending(question: dict, addresses: dict[str, str]) -> dict:
    """The question with every media-pending:<sha256> replaced by the saved image's address."""
    return map_strings(
        question, lambda s: PENDING_RE.sub(lambda m: addresses.get(m.group(1), m.group(0)), s)
    )


def images_stay_links(question: dict) -> list[str]:
    """The loss of a format that cannot carry files, when the question shows bank images."""
    if media_urls(question):
        return [_("images (the file only links to this site's copies)")]
    return []


def missing_images(urls: list[str], media: dict[str, MediaFile]) -> list[str]:
    """Messages for images a question shows that the export was not given."""
    return [
        _("image %(name)s is not one of this bank's files; the text still links to it")
        % {"name": url_name(url)}
        for url in urls
        if url not in media
    ]


class UniqueNames:
    """File names inside an exported file: the image's own, numbered when two differ."""

    def __init__(self):
        self.by_url: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        if url not in self.by_url:
            name, taken, number = url_name(url), set(self.by_url.values()), 2
            base = name
            while name in taken:
                name = f"{number}-{base}"
                number += 1
            self.by_url[url] = name
        return self.by_url[url]
