"""The fonts and file access certificates and admission notices share (WeasyPrint)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from organizations import pdf_fonts
from organizations.pdf_fonts import PREPARED_FONTS, DisallowedResourceError, LocalFilesFetcher
from tests.conftest import require_binary

STAND_IN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "inside.otf").write_bytes(b"font bytes")
    (tmp_path.parent / "outside.txt").write_text("secret")
    return tmp_path


def test_the_fetcher_serves_files_in_its_folder_and_data_uris(folder):
    fetcher = LocalFilesFetcher(folder)
    response = fetcher((folder / "inside.otf").as_uri())
    assert response.read() == b"font bytes"
    assert response.content_type == "font/otf"
    assert fetcher("data:text/plain;base64,aGVsbG8=").read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/font.otf",
        "file://evil.example/share/font.otf",
        "FOLDER/../outside.txt",
        "FOLDER/missing.otf",
        "file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_else(folder, url):
    url = url.replace("FOLDER", folder.as_uri())
    with pytest.raises(DisallowedResourceError):
        LocalFilesFetcher(folder)(url)


def test_without_prepared_fonts_only_the_stylesheet_is_parsed(tmp_path):
    css = tmp_path / "page.css"
    css.write_text("body { color: black; }")
    with override_settings(CERTIFICATES_FONT_DIR=tmp_path / "no-fonts"):
        sheets = pdf_fonts.stylesheets(
            css, font_config=FontConfiguration(), url_fetcher=LocalFilesFetcher(tmp_path)
        )
    assert len(sheets) == 1


@pytest.mark.skipif(not STAND_IN.is_file(), reason="needs Debian's fonts-dejavu-core")
def test_prepared_fonts_are_declared_and_embedded(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for files in PREPARED_FONTS.values():
        for name in files.values():
            shutil.copyfile(STAND_IN, fonts / name)  # a small face stands in for the subsets
    css = tmp_path / "page.css"
    css.write_text("p { font-size: 12pt; }")
    config = FontConfiguration()
    with override_settings(CERTIFICATES_FONT_DIR=fonts):
        sheets = pdf_fonts.stylesheets(
            css, font_config=config, url_fetcher=LocalFilesFetcher(tmp_path)
        )
    assert len(sheets) == 2
    pdf = HTML(string="<p>Hello</p>", url_fetcher=LocalFilesFetcher(fonts)).write_pdf(
        stylesheets=sheets, font_config=config
    )
    (tmp_path / "out.pdf").write_bytes(pdf)
    listing = subprocess.run(
        [require_binary("pdffonts"), str(tmp_path / "out.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # the prepared family comes before the system one, so its file is what is embedded
    assert "+Noto-Sans-CJK-SC-GB2312-Primary " in listing
    assert "CID TrueType" in listing  # the stand-in's outlines, not the system's OpenType
