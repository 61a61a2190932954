"""The fonts and the file access of every bilingual PDF the apps render with WeasyPrint
(certificates, exams' admission notices), kept here so that neither copies the other.

Fonts: WeasyPrint subsets every face it embeds on every render, which is slow on the system's
20 MB Noto Sans CJK SC collections. When `manage.py prepare_certificate_fonts` has built the
GB2312 + Latin subsets (PREPARED_FONTS) into CERTIFICATES_FONT_DIR, stylesheets() loads them
with @font-face and keeps the system family as the fallback for rarer characters; the glyphs,
and so the document, are the same either way.

Files: LocalFilesFetcher serves only data: URIs and files under one folder, so a document
never loads anything from the network or from elsewhere on disk, whatever its data says.
"""

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The family the stylesheets name, from Debian's fonts-noto-cjk.
SYSTEM_FONT_FAMILY = "Noto Sans CJK SC"
# The subsets `manage.py prepare_certificate_fonts` builds: family -> style -> file.
# Primary holds Latin, punctuation and GB2312's 3,755 level-1 (common) hanzi,
# Secondary its 3,008 level-2 ones. Two families rather than one, because
# WeasyPrint's subset of a face keeps an (empty) slot for every glyph ID below
# the highest one used, so its time and size grow with the face: most
# documents need Primary only.
PREPARED_FONTS = {
    "Noto Sans CJK SC GB2312 Primary": {
        "Regular": "NotoSansCJKsc-GB2312Primary-Regular.otf",
        "Bold": "NotoSansCJKsc-GB2312Primary-Bold.otf",
    },
    "Noto Sans CJK SC GB2312 Secondary": {
        "Regular": "NotoSansCJKsc-GB2312Secondary-Regular.otf",
        "Bold": "NotoSansCJKsc-GB2312Secondary-Bold.otf",
    },
}
CSS_FONT_WEIGHTS = {"Regular": "normal", "Bold": "bold"}


class DisallowedResourceError(ValueError):
    """A document asked for a resource outside the folder it may read."""


class LocalFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files under one folder and data: URIs."""

    def __init__(self, root: Path, *, fail_on_errors: bool = True) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=fail_on_errors)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource at url, or raise DisallowedResourceError."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def local_path(self, url: str) -> Path:
        """Map a file: URL to an existing file under the root, or raise."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise DisallowedResourceError(f"Only local files may be loaded: {url}")
        # resolve() follows symlinks and "..", so neither can lead out of the root.
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise DisallowedResourceError(f"Not a file in {self.root}: {url}")
        return path


def prepared_font_dir() -> Path:
    """Return the folder `manage.py prepare_certificate_fonts` builds the fonts in."""
    default = Path(settings.BASE_DIR) / "var" / "fonts"
    return Path(getattr(settings, "CERTIFICATES_FONT_DIR", default))


def stylesheets(
    stylesheet: Path, *, font_config: FontConfiguration, url_fetcher: URLFetcher
) -> tuple[CSS, ...]:
    """The stylesheet parsed, plus, when the prepared fonts exist, a second that declares them
    with @font-face (loading them into font_config) before the system family, which still
    serves any character they lack.

    Parsing is slow: callers cache the result, with the font configuration it was made for.
    """
    sheets = [CSS(filename=stylesheet, font_config=font_config, url_fetcher=url_fetcher)]
    folder = prepared_font_dir()
    faces = [
        (family, style, folder / name)
        for family, files in PREPARED_FONTS.items()
        for style, name in files.items()
    ]
    if all(path.is_file() for _, _, path in faces):
        font_faces = "".join(
            f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
            f"font-weight: {CSS_FONT_WEIGHTS[style]}; }}\n"
            for family, style, path in faces
        )
        families = ", ".join(f'"{family}"' for family in [*PREPARED_FONTS, SYSTEM_FONT_FAMILY])
        sheets.append(
            CSS(
                string=f"{font_faces}html {{ font-family: {families}, sans-serif; }}\n",
                font_config=font_config,
                url_fetcher=LocalFilesFetcher(folder),
            )
        )
    return tuple(sheets)
