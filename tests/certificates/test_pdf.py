"""Certificate PDFs: bilingual text, embedded fonts, QR code, attachments, PAdES signature."""

import contextlib
import ctypes.util
import dataclasses
import datetime
import io
import json
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.test import override_settings
from fontTools.ttLib import TTFont
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from certificates import pdf as pdf_module
from certificates.credential import (
    OrgName,
    build_credential,
    credential_json,
    generate_signing_key,
    jwks_document,
    sign_credential,
    verify_credential,
)
from certificates.pdf import (
    PREPARED_FONTS,
    STATIC_DIR,
    STYLESHEET_PATH,
    CertificateRenderError,
    DisallowedResourceError,
    StaticFilesOnlyFetcher,
    harfbuzz_subsetting_available,
    prepared_fonts_in_use,
    render_pdf,
    render_pdf_naive,
    sample_certificate_data,
)
from certificates.pdfsign import (
    extract_attachment,
    generate_platform_certificate,
    inspect_pdf_signature,
    sign_pdf,
)
from tests.conftest import require_binary

# A 1x1 transparent PNG.
PIXEL_PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)


def run(binary: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([require_binary(binary), *args], capture_output=True, check=False)


def run_on(binary: str, pdf: bytes, *args: str) -> subprocess.CompletedProcess:
    """Run a poppler tool on the PDF, written to a temporary file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "certificate.pdf"
        path.write_bytes(pdf)
        return run(binary, *args, str(path), *([] if binary != "pdftotext" else ["-"]))


def pdf_text(pdf: bytes) -> str:
    result = run_on("pdftotext", pdf, "-enc", "UTF-8")
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def font_rows(pdf: bytes) -> list[list[str]]:
    """pdffonts' table, one list of columns per font."""
    result = run_on("pdffonts", pdf)
    assert result.returncode == 0, result.stderr
    return [line.split() for line in result.stdout.decode().splitlines()[2:] if line.strip()]


def qr_codes(pdf: bytes) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    result = run_on("pdftoppm", pdf, "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile")
    assert result.returncode == 0, result.stderr
    image = Image.open(io.BytesIO(result.stdout))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@contextlib.contextmanager
def font_dir(folder: Path):
    """Render with CERTIFICATES_FONT_DIR set to folder (stylesheets are cached per process)."""
    pdf_module._stylesheets.cache_clear()
    try:
        with override_settings(CERTIFICATES_FONT_DIR=folder):
            yield
    finally:
        pdf_module._stylesheets.cache_clear()


@pytest.fixture(scope="module")
def data():
    return sample_certificate_data()


@pytest.fixture(scope="module")
def signing_key():
    return generate_signing_key()


@pytest.fixture(scope="module")
def credential_bytes(data):
    return credential_json(build_credential(data))


@pytest.fixture(scope="module")
def credential_token(data, signing_key):
    private_pem, public_jwk = signing_key
    return sign_credential(build_credential(data), private_pem, public_jwk["kid"])


@pytest.fixture(scope="module")
def pdf(data, credential_bytes, credential_token):
    return render_pdf(data, credential_json=credential_bytes, credential_jwt=credential_token)


@pytest.fixture(scope="module")
def prepared_font_folder(tmp_path_factory):
    """The fonts `manage.py prepare_certificate_fonts` builds, in a folder of their own."""
    require_binary("fc-match")
    if not harfbuzz_subsetting_available():
        pytest.skip("without libharfbuzz-subset the fonts take a minute to build (fontTools)")
    folder = tmp_path_factory.mktemp("certificate-fonts")
    out = io.StringIO()
    with override_settings(CERTIFICATES_FONT_DIR=folder):
        call_command("prepare_certificate_fonts", stdout=out)
    assert "written" in out.getvalue()
    return folder


@pytest.fixture(scope="module")
def platform_certificate():
    return generate_platform_certificate("CBEC Academy certificate signing")


@pytest.fixture(scope="module")
def signed_pdf(pdf, platform_certificate):
    key_pem, cert_pem = platform_certificate
    return sign_pdf(
        pdf, key_pem=key_pem, cert_pem=cert_pem, reason="Certificate issued", location="Hangzhou"
    )


# Rendering


def test_the_pdf_reads_back_with_both_scripts_and_the_serial(pdf, data):
    text = pdf_text(pdf)
    assert "张伟" in text
    assert "Zhang Wei" in text
    assert data.serial in text
    assert "职业技能等级证书" in text
    assert "Certificate of Skill Level" in text
    assert "跨境电商平台运营" in text
    assert f"Verify at {data.verify_url}" in " ".join(text.split())


def test_the_page_is_a4_landscape(pdf):
    page = PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Kids"][0]
    media_box = page["/MediaBox"]
    width, height = float(media_box[2]), float(media_box[3])
    assert (round(width), round(height)) == (842, 595)


def test_a_cjk_font_is_embedded_and_no_font_is_left_out(pdf):
    result = run_on("pdffonts", pdf)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.decode().splitlines()[2:] if line.strip()]
    # Columns from the right: emb sub uni object-number generation.
    assert rows
    assert any("CJK" in row[0] and row[-5] == "yes" for row in rows), rows
    assert all(row[-5] == "yes" for row in rows), rows


def test_the_qr_code_opens_the_verification_page(pdf, data, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    result = run_on("pdftoppm", pdf, "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile")
    assert result.returncode == 0, result.stderr
    image = Image.open(io.BytesIO(result.stdout))
    texts = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert texts == [data.verify_url]


def test_the_credential_is_attached_as_json_and_as_a_vc_jwt(pdf, credential_bytes, signing_key):
    assert extract_attachment(pdf) == credential_bytes
    assert json.loads(extract_attachment(pdf, "credential.json"))["type"] == [
        "VerifiableCredential",
        "OpenBadgeCredential",
    ]
    token = extract_attachment(pdf, "credential.jwt").decode()
    verified = verify_credential(token, jwks_document([signing_key[1]]))
    assert verified.credential == json.loads(credential_bytes)


def test_a_pdf_without_attachments_has_none_to_extract(data):
    plain = render_pdf(data)
    assert extract_attachment(plain) is None
    assert extract_attachment(b"not a pdf") is None


def test_holder_text_is_printed_literally_never_as_markup(data):
    hostile = dataclasses.replace(data, holder_name_latin="<b>Zhang</b> & Wei")
    text = pdf_text(render_pdf(hostile))
    assert "<b>Zhang</b> & Wei" in text


def test_a_course_certificate_has_its_own_title(data):
    course = dataclasses.replace(
        data, kind="course", level=None, level_name_en="", level_name_zh="", expires_on=None
    )
    text = pdf_text(render_pdf(course))
    assert "课程结业证书" in text
    assert "Certificate of Course Completion" in text
    assert "No expiry" in text


def test_logos_may_be_inline_data(data):
    with_logo = dataclasses.replace(
        data, school=dataclasses.replace(data.school, logo_path=PIXEL_PNG)
    )
    assert pdf_text(render_pdf(with_logo))


@pytest.mark.parametrize(
    "logo_path",
    [
        "http://127.0.0.1:9/logo.png",
        "https://academy.example/logo.png",
        "file:///etc/passwd",
        "../../../../../../etc/passwd",
        "certificates/pdf/missing-logo.png",
    ],
)
def test_a_logo_outside_the_static_directory_stops_the_render(data, logo_path):
    school = OrgName(name_en="Evil School", name_zh="坏学校", code="EVIL", logo_path=logo_path)
    with pytest.raises(CertificateRenderError):
        render_pdf(dataclasses.replace(data, school=school))


def test_the_naive_renderer_prints_the_same_certificate(pdf, data, credential_bytes):
    naive = render_pdf_naive(data, credential_json=credential_bytes)
    assert pdf_text(naive) == pdf_text(pdf)
    assert extract_attachment(naive) == credential_bytes


def test_each_certificate_gets_its_own_qr_code_and_none_is_kept(data):
    render_pdf(data)
    other = dataclasses.replace(
        data,
        verify_url="https://academy.example/verify/2M8F-QX4D-7K3P-WA/",
        school=dataclasses.replace(data.school, logo_path=PIXEL_PNG),
    )
    assert qr_codes(render_pdf(other)) == [other.verify_url]
    # Only images of static files are shared between renders.
    assert all(url.startswith("file:") for url in pdf_module._IMAGE_CACHE)


def test_a_certificate_with_two_organisations_prints_both(data):
    two = dataclasses.replace(data, government=None)
    text = " ".join(pdf_text(render_pdf(two)).split())
    assert data.school.name_zh in text
    assert data.enterprise.name_en in text
    assert data.government.name_zh not in text
    assert "Skill standard owner" not in text


# Fonts


def test_prepare_certificate_fonts_cuts_noto_sans_cjk_sc_down_to_gb2312(prepared_font_folder):
    # Primary: Latin with pinyin tones, punctuation, level-1 hanzi; Secondary: level-2 hanzi.
    primary, secondary = "张伟，（）·éǎü", "鑫淼"
    (family_1, files_1), (family_2, files_2) = PREPARED_FONTS.items()
    for family, files, has, lacks in (
        (family_1, files_1, primary, secondary + "喆"),
        (family_2, files_2, secondary, primary + "喆"),
    ):
        for style, name in files.items():
            font = TTFont(prepared_font_folder / name, lazy=True)
            assert font["name"].getDebugName(1) == family
            assert font["name"].getDebugName(2) == style
            assert font["maxp"].numGlyphs < 6000
            cmap = font.getBestCmap()
            assert all(ord(char) in cmap for char in has), (name, has)
            assert not any(ord(char) in cmap for char in lacks), (name, lacks)
            assert "vmtx" not in font


def test_prepare_certificate_fonts_does_nothing_when_up_to_date(prepared_font_folder):
    before = {path: path.stat().st_mtime_ns for path in prepared_font_folder.iterdir()}
    out = io.StringIO()
    with override_settings(CERTIFICATES_FONT_DIR=prepared_font_folder):
        call_command("prepare_certificate_fonts", stdout=out)
    assert "up to date" in out.getvalue()
    assert {path: path.stat().st_mtime_ns for path in prepared_font_folder.iterdir()} == before


def test_the_prepared_fonts_are_embedded_and_rarer_characters_fall_back(prepared_font_folder, data):
    # 王 is a level-1 hanzi, 鑫 a level-2 one, 喆 and 堃 are outside GB2312.
    rare = dataclasses.replace(data, holder_name_native="王鑫喆堃", holder_name_latin="Wang Xinzhe")
    with font_dir(prepared_font_folder):
        assert prepared_fonts_in_use()
        common, with_rare = render_pdf(data), render_pdf(rare)
    assert sorted(row[0].split("+")[-1] for row in font_rows(common)) == [
        "Noto-Sans-CJK-SC-GB2312-Primary",
        "Noto-Sans-CJK-SC-GB2312-Primary-Bold",
    ]
    rows = font_rows(with_rare)
    assert all(row[-5] == "yes" for row in rows), rows
    # The holder's name is bold; the system's bold face supplies 喆 and 堃.
    assert sorted(row[0].split("+")[-1] for row in rows) == [
        "Noto-Sans-CJK-SC-Bold",
        "Noto-Sans-CJK-SC-GB2312-Primary",
        "Noto-Sans-CJK-SC-GB2312-Primary-Bold",
        "Noto-Sans-CJK-SC-GB2312-Secondary-Bold",
    ]
    assert "王鑫喆堃" in pdf_text(with_rare)
    assert pdf_text(common) == pdf_text(render_pdf_naive(data))


def test_without_prepared_fonts_the_system_face_is_embedded(tmp_path, data):
    with font_dir(tmp_path):
        assert not prepared_fonts_in_use()
        rows = font_rows(render_pdf(data))
    assert rows
    assert all("CJK" in row[0] and "GB2312" not in row[0] for row in rows), rows
    assert all(row[-5] == "yes" for row in rows), rows


def test_harfbuzz_subsetting_is_reported_when_the_library_is_installed():
    available = harfbuzz_subsetting_available()
    assert isinstance(available, bool)
    if ctypes.util.find_library("harfbuzz-subset"):
        assert available


# The URL fetcher


def test_the_fetcher_serves_files_from_the_static_directory():
    response = StaticFilesOnlyFetcher()(STYLESHEET_PATH.as_uri())
    assert response.read() == STYLESHEET_PATH.read_bytes()
    assert response.content_type == "text/css"


def test_the_fetcher_serves_data_uris():
    response = StaticFilesOnlyFetcher()("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/logo.png",
        "https://academy.example/static/logo.png",
        "ftp://example.org/logo.png",
        "file:///etc/passwd",
        "file://evil.example/share/logo.png",
        (STATIC_DIR / ".." / "pdf.py").as_uri(),
        STATIC_DIR.as_uri() + "/../pdf.py",
        STATIC_DIR.as_uri() + "/certificates/pdf/nothing-here.png",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(DisallowedResourceError):
        StaticFilesOnlyFetcher()(url)


def test_the_fetcher_refuses_a_symlink_out_of_its_root(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "escape.txt").symlink_to("/etc/hostname")
    with pytest.raises(DisallowedResourceError):
        StaticFilesOnlyFetcher(root)((root / "escape.txt").as_uri())


# Signing


def test_pdfsig_finds_one_valid_signature_over_the_whole_file(signed_pdf):
    result = run_on("pdfsig", signed_pdf)
    output = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "Signature is Valid." in output
    assert "Total document signed" in output
    assert "Signature #2" not in output


def test_a_freshly_signed_certificate_is_intact(signed_pdf, platform_certificate):
    check = inspect_pdf_signature(signed_pdf, trusted_cert_pem=platform_certificate[1])
    assert check.status == "intact"
    assert check.signer == "CBEC Academy certificate signing"


def test_the_attachment_survives_signing(signed_pdf, credential_bytes):
    assert extract_attachment(signed_pdf) == credential_bytes


def test_one_changed_byte_in_the_signed_range_is_detected(signed_pdf, platform_certificate):
    # Flip a byte inside the first content stream so the file still parses.
    offset = signed_pdf.index(b"stream\n") + len(b"stream\n") + 20
    tampered = bytearray(signed_pdf)
    tampered[offset] ^= 0x01
    check = inspect_pdf_signature(bytes(tampered), trusted_cert_pem=platform_certificate[1])
    assert check.status == "modified"


def test_an_incremental_update_after_signing_is_detected(signed_pdf, platform_certificate):
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.trailer["/Info"] = writer.add_object(
        generic.DictionaryObject(
            {generic.NameObject("/Title"): generic.TextStringObject("Senior level (forged)")}
        )
    )
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.startswith(signed_pdf)

    check = inspect_pdf_signature(updated, trusted_cert_pem=platform_certificate[1])
    assert check.status == "modified"

    # pdfsig still calls the signature valid, which is why coverage must be checked.
    output = run_on("pdfsig", updated).stdout.decode()
    assert "Signature is Valid." in output
    assert "Not total document signed" in output


def test_a_signature_by_another_certificate_is_not_trusted(signed_pdf):
    _, stranger_cert = generate_platform_certificate("Someone else")
    check = inspect_pdf_signature(signed_pdf, trusted_cert_pem=stranger_cert)
    assert check.status == "modified"


def test_an_unsigned_pdf_is_reported_as_unsigned(pdf, platform_certificate):
    check = inspect_pdf_signature(pdf, trusted_cert_pem=platform_certificate[1])
    assert check.status == "unsigned"
    assert check.signer is None


@pytest.mark.parametrize("damage", [b"", b"garbage", b"%PDF-1.7\n%%EOF"])
def test_a_file_that_is_not_a_pdf_is_never_intact(damage, platform_certificate):
    check = inspect_pdf_signature(damage, trusted_cert_pem=platform_certificate[1])
    assert check.status != "intact"


def test_the_platform_certificate_signs_for_ten_years(platform_certificate):
    key_pem, cert_pem = platform_certificate
    certificate = x509.load_pem_x509_certificate(cert_pem)
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    assert certificate.public_key().curve.name == "secp256r1"
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime >= datetime.timedelta(days=3650)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not usage.key_cert_sign
    assert key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")


# PDF/A-3b. No PDF/A validator can be installed here (veraPDF is not packaged for
# Debian, PyPI or npm), so these tests read back the claims and the rules most
# likely to break: metadata, associated files, tags, output intent, annotations,
# version, fonts, and the signature over the whole file.

XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
# Annotation flags (ISO 32000-1, 12.5.3): PDF/A wants Print set, these clear.
PRINT_FLAG = 4
HIDING_FLAGS = 1 | 2 | 32  # Invisible, Hidden, NoView


def read_pdf(pdf: bytes) -> PdfFileReader:
    return PdfFileReader(BytesIO(pdf), strict=False)


def xmp_properties(pdf: bytes) -> dict[str, str]:
    """The XMP packet's simple properties, "prefix:name" -> text (first item of arrays)."""
    packet = read_pdf(pdf).root["/Metadata"].data
    tree = ET.fromstring(packet)
    prefixes = {uri: prefix for prefix, uri in XMP.items()}
    properties = {}
    for description in tree.iter(f"{{{XMP['rdf']}}}Description"):
        fields = [(name, value) for name, value in description.attrib.items()]
        fields += [(child.tag, "".join(child.itertext()).strip()) for child in description]
        for name, value in fields:
            uri, _, local = name[1:].partition("}")
            if uri in prefixes and prefixes[uri] != "rdf":
                properties[f"{prefixes[uri]}:{local}"] = value
    return properties


def struct_elements(node, found=None) -> list:
    """Every structure element under node, depth first."""
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, generic.DictionaryObject) and "/S" in node:
        found.append(node)
    kids = node.get("/K") if isinstance(node, generic.DictionaryObject) else None
    for kid in kids if isinstance(kids, generic.ArrayObject) else [kids] if kids else []:
        if isinstance(kid, generic.IndirectObject | generic.DictionaryObject):
            struct_elements(kid, found)
    return found


def test_the_signed_certificate_claims_pdf_a_3b_and_stays_pdf_1_7(signed_pdf):
    properties = xmp_properties(signed_pdf)
    assert properties["pdfaid:part"] == "3"
    assert properties["pdfaid:conformance"] == "B"
    # PDF/A-3 is built on PDF 1.7: the signature must not raise the version.
    assert signed_pdf.startswith(b"%PDF-1.7\n")
    reader = read_pdf(signed_pdf)
    assert "/Version" not in reader.root
    assert "/ISO_" not in reader.root.get("/Extensions", {})
    assert len(reader.trailer["/ID"]) == 2
    info = run_on("pdfinfo", signed_pdf).stdout.decode()
    assert "PDF version:     1.7" in info
    assert "Metadata Stream: yes" in info


def test_signing_keeps_the_document_information_equal_to_the_xmp_metadata(pdf, signed_pdf):
    properties = xmp_properties(signed_pdf)
    info = read_pdf(signed_pdf).trailer["/Info"]
    assert str(info["/Title"]) == properties["dc:title"]
    assert str(info["/Author"]) == properties["dc:creator"]
    assert str(info["/Subject"]) == properties["dc:description"]
    assert str(info["/Creator"]) == properties["xmp:CreatorTool"]
    assert str(info["/Producer"]) == properties["pdf:Producer"]
    assert ("/ModDate" in info) == ("xmp:ModifyDate" in properties)
    # The metadata is exactly as rendered.
    assert xmp_properties(pdf) == properties


def test_the_credential_files_are_the_documents_associated_data(signed_pdf, credential_bytes):
    root = read_pdf(signed_pdf).root
    associated = [reference.get_object() for reference in root["/AF"]]
    assert [str(spec["/UF"]) for spec in associated] == ["credential.json", "credential.jwt"]
    embedded = root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert sorted(ref.idnum for ref in root["/AF"]) == sorted(
        embedded.raw_get(index).idnum for index in range(1, len(embedded), 2)
    )
    media_types = []
    for spec in associated:
        assert spec["/AFRelationship"] == "/Data"
        assert str(spec["/F"]) == str(spec["/UF"])
        stream = spec["/EF"]["/F"]
        assert "/ModDate" in stream["/Params"]
        media_types.append(str(stream["/Subtype"]))
    assert media_types == ["/application/json", "/application/vc+jwt"]
    assert associated[0]["/EF"]["/F"].data == credential_bytes


def test_the_certificate_is_tagged_for_screen_readers(signed_pdf, data):
    root = read_pdf(signed_pdf).root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert str(root["/Lang"]) == "zh-Hans"
    elements = struct_elements(root["/StructTreeRoot"])
    roles = [element["/S"] for element in elements]
    assert roles[0] == "/Document"
    assert "/H1" in roles
    assert roles.count("/P") >= 8
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == [f"QR code: {data.verify_url}"]
    assert "Tagged:          yes" in run_on("pdfinfo", signed_pdf).stdout.decode()


def test_colours_are_defined_by_an_embedded_srgb_output_intent(signed_pdf):
    (intent,) = read_pdf(signed_pdf).root["/OutputIntents"]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"]
    assert profile["/N"] == 3
    assert profile.data[36:40] == b"acsp"  # an ICC profile's signature


def test_every_annotation_including_the_signature_widget_is_printable(signed_pdf):
    page = read_pdf(signed_pdf).root["/Pages"]["/Kids"][0]
    annotations = [reference.get_object() for reference in page["/Annots"]]
    assert sorted(annotation["/Subtype"] for annotation in annotations) == ["/Link", "/Widget"]
    for annotation in annotations:
        flags = int(annotation["/F"])
        assert flags & PRINT_FLAG and not flags & HIDING_FLAGS, annotation


def test_the_signed_pdf_a_embeds_its_fonts_and_is_signed_over_the_whole_file(
    signed_pdf, platform_certificate
):
    rows = font_rows(signed_pdf)
    assert rows
    assert all(row[-5] == "yes" for row in rows), rows
    output = run_on("pdfsig", signed_pdf).stdout.decode()
    assert "Total document signed" in output
    assert "Signature is Valid." in output
    check = inspect_pdf_signature(signed_pdf, trusted_cert_pem=platform_certificate[1])
    assert check.status == "intact"


def test_the_naive_renderer_writes_the_same_pdf_a(data, credential_bytes, credential_token):
    naive = render_pdf_naive(
        data, credential_json=credential_bytes, credential_jwt=credential_token
    )
    properties = xmp_properties(naive)
    assert (properties["pdfaid:part"], properties["pdfaid:conformance"]) == ("3", "B")
    root = read_pdf(naive).root
    assert len(root["/AF"]) == 2
    assert "/StructTreeRoot" in root
