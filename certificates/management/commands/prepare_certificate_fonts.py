"""Build the fonts certificates are rendered with: Noto Sans CJK SC, cut down.

The system's Noto Sans CJK SC faces are 20 MB collections of 65,535 glyphs, and
WeasyPrint subsets the faces it embeds on every render; that took about half of
a render. This command keeps, from the Regular and Bold faces, the characters
of GB2312 (China's basic character set: 6,763 hanzi and its symbols), Latin
with pinyin tone marks and the usual punctuation, split in two families (see
certificates.pdf.PREPARED_FONTS): Primary (Latin, punctuation and the 3,755
level-1 hanzi) and Secondary (the 3,008 level-2 ones). They are written under
their own names to CERTIFICATES_FONT_DIR (default <BASE_DIR>/var/fonts,
git-ignored).
certificates/pdf.py loads them through @font-face when they are there and keeps
the system family as the fallback, so a name with a rarer character still
prints in Noto Sans CJK SC.

Subsetting uses HarfBuzz when libharfbuzz-subset is installed (about a second)
and fontTools otherwise (a couple of minutes). Running it again does nothing unless
the system fonts or this recipe changed (or --force is given). Processes that
render certificates pick the fonts up when they start.
"""

import ctypes.util
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cffi
from django.core.management.base import BaseCommand, CommandError
from fontTools.ttLib import TTFont

from certificates.pdf import PREPARED_FONTS, SYSTEM_FONT_FAMILY, prepared_font_dir

# Bump when the recipe below changes, so existing builds are redone.
RECIPE_VERSION = 2
MANIFEST = "fonts.json"
# Horizontal typesetting only, and no language-specific forms: the faces are
# the Simplified Chinese ones already, and 'locl' would drag in the Japanese,
# Korean and Traditional glyph variants (it nearly doubles the glyph count).
LAYOUT_FEATURES = ("ccmp", "kern", "liga", "calt", "mark", "mkmk")
# Certificates are set horizontally: vertical metrics and baselines are unused.
DROP_TABLES = ("vhea", "vmtx", "VORG", "BASE")
# Latin (with Latin-1, Latin Extended-A and the pinyin vowels of Latin
# Extended-B), general punctuation, letterlike symbols, arrows, enclosed
# numerals, CJK symbols and punctuation, and full- and half-width forms.
EXTRA_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x01CD, 0x01DC),
    (0x2000, 0x206F),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
)


@dataclass(frozen=True)
class SourceFace:
    path: Path
    index: int

    def fingerprint(self) -> dict:
        stat = self.path.stat()
        return {
            "path": str(self.path),
            "index": self.index,
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }


def gb2312(first_row: int, last_row: int) -> set[int]:
    """Return the code points of GB2312's rows first_row to last_row (EUC-CN lead bytes)."""
    code_points = set()
    for high in range(first_row, last_row + 1):
        for low in range(0xA1, 0xFF):
            try:
                code_points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return code_points


def character_sets() -> dict[str, list[int]]:
    """Return the code points each prepared family keeps, sorted."""
    level_1 = gb2312(0xA1, 0xD7)  # symbols, then the level-1 hanzi (rows 16 to 55)
    for first, last in EXTRA_RANGES:
        level_1.update(range(first, last + 1))
    level_2 = gb2312(0xD8, 0xF7)  # the level-2 hanzi (rows 56 to 87)
    return dict(zip(PREPARED_FONTS, (sorted(level_1), sorted(level_2)), strict=True))


def find_system_face(style: str) -> SourceFace:
    """Ask fontconfig for the system's Noto Sans CJK SC face in this style."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise CommandError("fc-match is not installed (Debian: fontconfig).")
    pattern = f"{SYSTEM_FONT_FAMILY}:style={style}"
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_match, "--format=%{file}\n%{index}\n%{family}", pattern],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise CommandError(f"fc-match failed: {error}") from error
    path, index, families = (result.stdout.split("\n") + ["", "", ""])[:3]
    if SYSTEM_FONT_FAMILY not in families.split(","):
        raise CommandError(
            f"{SYSTEM_FONT_FAMILY} {style} is not installed (Debian: fonts-noto-cjk); "
            f"fontconfig offered {families or 'nothing'}."
        )
    return SourceFace(Path(path), int(index or 0))


_HARFBUZZ_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
void hb_blob_destroy (hb_blob_t *blob);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_face_destroy (hb_face_t *face);
void hb_set_add (hb_set_t *set, uint32_t codepoint);
void hb_set_clear (hb_set_t *set);
uint32_t hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
_NO_HINTING = 0x1  # hb_subset_flags_t; WeasyPrint drops hints from embedded fonts anyway
_DROP_TABLE_TAGS, _LAYOUT_FEATURE_TAGS = 3, 6  # hb_subset_sets_t


def _open_library(ffi: cffi.FFI, name: str):
    """dlopen a shared library by its short name, as WeasyPrint finds HarfBuzz."""
    for candidate in (f"lib{name}.so.0", ctypes.util.find_library(name), f"lib{name}.0.dylib"):
        if candidate:
            try:
                return ffi.dlopen(candidate)
            except OSError:
                continue
    return None


def subset_with_harfbuzz(face: SourceFace, code_points: list[int]) -> bytes | None:
    """Subset with libharfbuzz-subset; None when it is missing or too old (before 2.9)."""
    ffi = cffi.FFI()
    ffi.cdef(_HARFBUZZ_CDEF)
    harfbuzz = _open_library(ffi, "harfbuzz")
    harfbuzz_subset = _open_library(ffi, "harfbuzz-subset")
    if harfbuzz is None or harfbuzz_subset is None:
        return None
    try:
        blob = harfbuzz.hb_blob_create_from_file_or_fail(str(face.path).encode())
        subset_input = harfbuzz_subset.hb_subset_input_create_or_fail()
    except AttributeError:  # a symbol this HarfBuzz does not have
        return None
    if blob == ffi.NULL or subset_input == ffi.NULL:
        raise CommandError(f"HarfBuzz cannot read {face.path}")
    source = harfbuzz.hb_face_create(blob, face.index)
    try:
        unicodes = harfbuzz_subset.hb_subset_input_unicode_set(subset_input)
        for code_point in code_points:
            harfbuzz.hb_set_add(unicodes, code_point)
        features = harfbuzz_subset.hb_subset_input_set(subset_input, _LAYOUT_FEATURE_TAGS)
        harfbuzz.hb_set_clear(features)
        for tag in LAYOUT_FEATURES:
            harfbuzz.hb_set_add(features, harfbuzz.hb_tag_from_string(tag.encode(), -1))
        drop = harfbuzz_subset.hb_subset_input_set(subset_input, _DROP_TABLE_TAGS)
        for tag in DROP_TABLES:
            harfbuzz.hb_set_add(drop, harfbuzz.hb_tag_from_string(tag.encode(), -1))
        harfbuzz_subset.hb_subset_input_set_flags(subset_input, _NO_HINTING)
        result = harfbuzz_subset.hb_subset_or_fail(source, subset_input)
        if result == ffi.NULL:
            raise CommandError(f"HarfBuzz could not subset {face.path}")
        result_blob = harfbuzz.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = ffi.buffer(harfbuzz.hb_blob_get_data(result_blob, length), length[0])[:]
        harfbuzz.hb_blob_destroy(result_blob)
        harfbuzz.hb_face_destroy(result)
        return data
    finally:
        harfbuzz_subset.hb_subset_input_destroy(subset_input)
        harfbuzz.hb_face_destroy(source)
        harfbuzz.hb_blob_destroy(blob)


def subset_with_fonttools(face: SourceFace, code_points: list[int]) -> bytes:
    """Subset with fontTools (slow on CJK fonts: about 30 s a face)."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = list(LAYOUT_FEATURES)
    options.drop_tables += list(DROP_TABLES)
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points)
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def rename(font_data: bytes, family: str, style: str) -> bytes:
    """Give the subset its own family name, so fontconfig never takes it for the system face."""
    font = TTFont(io.BytesIO(font_data), lazy=True)  # tables left alone are copied as they are
    postscript = f"{family.replace(' ', '')}-{style}"
    names = {
        1: family,
        2: style,
        3: f"{postscript};{RECIPE_VERSION}",
        4: f"{family} {style}",
        6: postscript,
        16: family,
        17: style,
    }
    table = font["name"]
    # Drop every record of these names (all platforms and languages), then write them once.
    table.names = [record for record in table.names if record.nameID not in names]
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write data to path so that readers see either the old file or the whole new one."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as f:
        f.write(data)
        temporary = Path(f.name)
    temporary.chmod(0o644)
    os.replace(temporary, path)


class Command(BaseCommand):
    help = "Build the GB2312 + Latin subsets of Noto Sans CJK SC that certificate PDFs use."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild even if up to date")

    def handle(self, *args, force=False, **options):
        folder = prepared_font_dir()
        folder.mkdir(parents=True, exist_ok=True)
        character_sets_ = character_sets()
        styles = {style for files in PREPARED_FONTS.values() for style in files}
        sources = {style: find_system_face(style) for style in sorted(styles)}
        wanted = {
            "recipe": RECIPE_VERSION,
            "characters": hashlib.sha256(repr(character_sets_).encode()).hexdigest(),
            "sources": {style: source.fingerprint() for style, source in sources.items()},
        }
        manifest = folder / MANIFEST
        if not force and self._up_to_date(manifest, wanted):
            self.stdout.write(f"Certificate fonts in {folder} are up to date.")
            return
        for family, files in PREPARED_FONTS.items():
            for style, file_name in files.items():
                started = time.perf_counter()
                data = subset_with_harfbuzz(sources[style], character_sets_[family])
                tool = "HarfBuzz"
                if data is None:
                    data = subset_with_fonttools(sources[style], character_sets_[family])
                    tool = "fontTools"
                write_atomically(folder / file_name, rename(data, family, style))
                self.stdout.write(
                    f"{file_name}: {len(data) / 1e6:.1f} MB from {sources[style].path.name} "
                    f"with {tool} in {time.perf_counter() - started:.1f} s"
                )
        write_atomically(manifest, json.dumps(wanted, indent=2).encode())
        self.stdout.write(self.style.SUCCESS(f"Certificate fonts written to {folder}."))

    @staticmethod
    def _up_to_date(manifest: Path, wanted: dict) -> bool:
        try:
            built = json.loads(manifest.read_text())
        except (OSError, ValueError):
            return False
        files = [manifest.parent / name for f in PREPARED_FONTS.values() for name in f.values()]
        return built == wanted and all(path.is_file() for path in files)
