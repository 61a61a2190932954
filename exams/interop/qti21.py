"""IMS QTI 2.1 and 3.0 items, alone or in an IMS content package (zip with imsmanifest.xml).

Read: choiceInteraction (single when the response is single, multiple otherwise; two choices
named "true"/"false" make a true/false question), textEntryInteraction (fill_blanks; one
float/integer entry is numeric, its tolerance read from an <equal> in the response
processing and its unit from the rest of its paragraph), inlineChoiceInteraction (single
choice), extendedTextInteraction (essay, with a scorer rubricBlock as guidance),
matchInteraction and associateInteraction (matching), orderInteraction (ordering; the
per-position scoring we write is partial credit).  Other interactions are skipped with a
warning; QTI 1.x files are refused with an error naming the version.

QTI 3.0 is QTI 2.1 with its elements and attributes renamed (<qti-choice-interaction
response-identifier="…"> for <choiceInteraction responseIdentifier="…">) and the texts of
feedback and rubric blocks wrapped in <qti-content-body>: a QTI 3 item is renamed to the
2.1 names (``from_qti3``) and read by the same code, with the same warnings.

Scores: an item scored by its mapping (map_response, or its own processing summing
mapResponse) is worth the most the mapping gives unless it declares MAXSCORE, and its
mapped scores become partial credit where our kinds hold them: equal scores of the correct
choices (the negative ones, summed, are the penalty), of the pairs, of the gaps.  What they
cannot hold (credit for other choices of a single choice, unequal scores, upper bounds,
totals below zero) is named in a warning, as are modalFeedback, feedback blocks and template
variables.  An item with its own response processing and no correctResponse is refused:
its correct answer cannot be read.

Item bodies made only of plain <p> paragraphs become Markdown-ish text (paragraphs and line
breaks); anything richer is kept as an XHTML string for the renderer to sanitise.  Images
the package holds become question images (see exams.interop.media); other files, images
outside the package or refused ones are named in a warning and the text says "[image: …]"
where each was.  Items of our own export, unchanged since, get their Markdown back exactly
from the manifest (see qti21_write).

Zip safety: absolute paths, ".." and encrypted members are refused, as are more than 2,000
members, a member over 10 MB or a total over 100 MB by the zip headers; reads are bounded too.

Written: a QTI 2.1 content package with one item per question; practical tasks cannot be
written.  QTI 3.0 is read, not written.
"""

import functools
import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from html import escape
from urllib.parse import unquote

# Only to make an empty element: untrusted input is always parsed with defusedxml.
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from organizations import safezip
from organizations.safezip import unsafe_name, zip_problems

from .common import (
    MAX_ID,
    MISSING_WORD,
    add_checked,
    decimal_text,
    file_name,
    letter_id,
    load_xml,
    make_question,
    note_dropped_files,
    note_losses,
    parse_decimal,
)
from .media import PENDING_RE, checked, rewrite_images
from .qti21_write import SOURCE_NS, cannot_express, export, losses
from .report import ImportReport, at_file, at_item

__all__ = ["cannot_express", "export", "losses", "parse"]

_BREAK = "\ue020"  # stands for <br/> while whitespace from XML indentation is squeezed
_VOID = {"br", "img", "hr", "col", "area", "wbr"}
_DROPPED = {
    "feedbackBlock",
    "feedbackInline",
    "templateBlock",
    "templateInline",
    "printedVariable",
    "prompt",
}


def _local(tag: object) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(element, name: str) -> list:
    """Direct children with a local name."""
    return [c for c in element if _local(c.tag) == name]


def _first(element, name: str):
    """The first descendant with a local name, or None."""
    return next((e for e in element.iter() if _local(e.tag) == name), None)


# --- the zip package -------------------------------------------------------------------------


def _our_sources(resource) -> tuple[str, dict[str, str]] | None:
    """(item SHA-256, Markdown by part) from our own metadata of a resource, if it has it."""
    found = next((e for e in resource.iter() if e.tag == f"{{{SOURCE_NS}}}markdown"), None)
    if found is None or not found.get("item-sha256"):
        return None
    texts = {t.get("part", ""): t.text or "" for t in found if t.tag == f"{{{SOURCE_NS}}}text"}
    return found.get("item-sha256"), texts


def _manifest_items(root, report: ImportReport) -> list[tuple[str, tuple | None]]:
    """The item paths a manifest lists, each with our metadata of it (or None)."""
    location = at_item("imsmanifest.xml")
    if _local(root.tag) != "manifest":
        report.error(location, _("imsmanifest.xml has no <manifest> root"))
        return []
    hrefs = []
    for resource in root.iter():
        kind = resource.get("type", "") if _local(resource.tag) == "resource" else ""
        if kind.startswith(("imsqti_item_xmlv2p", "imsqti_item_xmlv3p")):
            files = [f.get("href") for f in _kids(resource, "file")]
            href = resource.get("href") or next(iter(files), None)
            if href:
                hrefs.append((unquote(href), _our_sources(resource)))
        elif kind.startswith(("imsqti_test_xmlv2", "imsqti_test_xmlv3")):
            report.warn(location, _("the test structure is not imported, only its items"))
    if not hrefs and not report.errors:
        report.error(location, _("the manifest lists no QTI 2.1 or 3.0 items"))
    return hrefs


class _Package:
    """An open content package: its items, and the files they name, read bounded.

    Every read counts against the zip's total limit, so headers that lie about sizes
    cannot make the reads add up to more than that.
    """

    def __init__(self, archive: zipfile.ZipFile, report: ImportReport):
        self.archive, self.report = archive, report
        self.members = {i.filename: i for i in archive.infolist()}
        self.budget = safezip.MAX_TOTAL_BYTES
        self.files: dict[str, bytes | None] = {}

    def read(self, path: str) -> bytes | None:
        """A member's bytes (None if damaged, too big or over the total)."""
        blob = _read_member(self.archive, self.members[path], self.report)
        self.budget -= len(blob or b"")
        if self.budget < 0:
            self.report.error(at_file(), _("the package unpacks to more than its zip headers say"))
            return None
        return blob

    def items(self) -> list[tuple[str, bytes, dict]]:
        """(path, bytes, Markdown sources) of each item the manifest lists.

        The sources come from our own export's metadata, and only while the item is unchanged.
        """
        if "imsmanifest.xml" not in self.members:
            self.report.error(
                at_file(), _("no imsmanifest.xml at the top: not an IMS content package")
            )
            return []
        blob = self.read("imsmanifest.xml")
        root = None if blob is None else load_xml(blob, self.report, at_item("imsmanifest.xml"))
        items = []
        for href, ours in [] if root is None else _manifest_items(root, self.report):
            path = posixpath.normpath(href)
            if unsafe_name(href) or path not in self.members:
                self.report.error(at_item(href), _("listed in the manifest but not in the zip"))
                continue
            blob = self.read(path)
            if self.budget < 0:
                return []
            if blob is not None:
                digest, sources = ours or ("", {})
                unchanged = digest == hashlib.sha256(blob).hexdigest()
                items.append((href, blob, sources if unchanged else {}))
        return items

    def file(self, item: str, reference: str) -> tuple[str, bytes] | None:
        """(name, bytes) of the file a reference in an item names, if the package holds it."""
        path = posixpath.normpath(posixpath.join(posixpath.dirname(item), unquote(reference)))
        if unsafe_name(path) or path not in self.members:
            return None
        if path not in self.files:
            self.files[path] = self.read(path)
        blob = self.files[path]
        return None if blob is None else (posixpath.basename(path), blob)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, report: ImportReport
) -> bytes | None:
    """A member's bytes, read no further than the size limit; None if damaged or too big."""
    limit = safezip.MAX_MEMBER_BYTES
    try:
        with archive.open(info) as handle:
            blob = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        report.error(at_item(info.filename), _("this file in the zip is damaged or unreadable"))
        return None
    if len(blob) > limit:
        report.error(at_item(info.filename), _("this file is larger than its zip header says"))
        return None
    return blob


@contextmanager
def _opened(data: bytes, report: ImportReport) -> Iterator[_Package | None]:
    """The package after the zip safety checks, or None (and errors)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError):
        report.error(at_file(), _("the zip file is damaged"))
        yield None
        return
    with archive:
        for problem in zip_problems(archive.infolist()):
            report.error(at_file(), problem)
        yield None if report.errors else _Package(archive, report)


# --- item bodies to text ---------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """Drop whitespace that only indents the XML source; keep <br/> as a line break."""
    text = re.sub(r"^\s*\n\s*", "", text)
    text = re.sub(r"\s*\n\s*$", "", text)
    return re.sub(r"\s*\n\s*", " ", text).replace(_BREAK, "\n")


def _inline_plain(element, marks: dict) -> str | None:
    """The text of an element holding only text, <br/> and marked interactions; else None."""
    parts = [element.text or ""]
    for child in element:
        if child in marks:
            parts.append(marks[child])
        elif _local(child.tag) == "br" and not len(child):
            parts.append(_BREAK)
        else:
            return None
        parts.append(child.tail or "")
    return _squeeze("".join(parts))


_REFERENCE = {"img": "src", "object": "data", "a": "href"}
_ON_THE_WEB = re.compile(r"^(?:https?:)?//|^mailto:|^#", re.IGNORECASE)


def packaged_file(element) -> str | None:
    """The file an img, object or link names inside the package (not on the web), else None."""
    attribute = _REFERENCE.get(_local(element.tag))
    reference = (element.get(attribute) or "").strip() if attribute else ""
    return reference if reference and not _ON_THE_WEB.match(reference) else None


# Turns a file reference of the item into the address of an imported image, or None.
Images = Callable[[str], str | None] | None


def _in_place_of(element, marks: dict, skip: set, images: Images = None) -> str:
    """What stands where a file of the package was: an imported image, a link's words, or a
    marker."""
    name = _local(element.tag)
    if name == "a":
        return _html(element, marks, skip, images)
    address = images(packaged_file(element) or "") if images and name == "img" else None
    if address:
        return _tag(element, marks, skip, images, src=address)
    label = (element.get("alt") or "").strip() or file_name(packaged_file(element) or "")
    marker = _("[image: %(name)s]") if name == "img" else _("[file: %(name)s]")
    return escape(marker % {"name": label}, quote=False)


def _tag(element, marks: dict, skip: set, images: Images, **replaced: str) -> str:
    """An XHTML element as text, its attributes (some replaced) and content included."""
    name = _local(element.tag)
    values = {_local(k): v for k, v in element.attrib.items()} | replaced
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in values.items())
    inner = _html(element, marks, skip, images)
    if name in _VOID and not inner:
        return f"<{name}{attrs} />"
    return f"<{name}{attrs}>{inner}</{name}>"


def _html(element, marks: dict, skip: set, images: Images = None) -> str:
    """The XHTML of an element's content, with QTI-only parts left out or replaced."""
    out = [escape(element.text or "", quote=False)]
    for child in element:
        name = _local(child.tag)
        if child in marks:
            out.append(marks[child])
        elif child in skip or name in _DROPPED:
            pass
        elif name == "rubricBlock":
            out.append(_html(child, marks, skip, images))
        elif packaged_file(child):
            out.append(_in_place_of(child, marks, skip, images))
        else:
            out.append(_tag(child, marks, skip, images))
        out.append(escape(child.tail or "", quote=False))
    return "".join(out)


def _content(
    element, marks: dict | None = None, skip: set | None = None, images: Images = None
) -> str:
    """Text of a choice, prompt or body part: plain when it can be, else XHTML."""
    marks, skip = marks or {}, skip or set()
    plain = _inline_plain(element, marks)
    return (plain if plain is not None else _xhtml(element, marks, skip, images)).strip()


def _xhtml(element, marks: dict, skip: set, images: Images = None) -> str:
    """XHTML content without source indentation or blank lines, which Markdown would misread."""
    return re.sub(r"\s*\n\s*", "\n", _html(element, marks, skip, images)).strip()


def _body_text(body, marks: dict, skip: set, images: Images = None) -> str:
    """The item body as paragraphs of text, or as XHTML when it is not only plain <p>s."""
    shown = [c for c in body if c not in skip and _local(c.tag) not in _DROPPED]
    if not (body.text or "").strip() and all(
        _local(c.tag) == "p" and not c.attrib and not (c.tail or "").strip() for c in shown
    ):
        paragraphs = [_inline_plain(p, marks) for p in shown]
        if None not in paragraphs:
            return "\n\n".join(p for p in paragraphs if p != MISSING_WORD)
    return _xhtml(body, marks, skip, images)


# --- items to questions ----------------------------------------------------------------------


class _Declaration:
    """A responseDeclaration: cardinality, base type, correct values and mapping."""

    def __init__(self, element):
        self.cardinality = element.get("cardinality", "single")
        self.base_type = element.get("baseType", "identifier")
        correct = _first(element, "correctResponse")
        values = [] if correct is None else _kids(correct, "value")
        self.correct = [(v.text or "").strip() for v in values]
        mapping = _first(element, "mapping")
        self.mapping: dict[str, Decimal] = {}
        self.case_sensitive = True
        self.default = Decimal(0)
        self.lower = self.upper = None
        if mapping is not None:
            self.default = parse_decimal(mapping.get("defaultValue", "0")) or Decimal(0)
            self.lower = parse_decimal(mapping.get("lowerBound"))
            self.upper = parse_decimal(mapping.get("upperBound"))
            entries = _kids(mapping, "mapEntry")
            for entry in entries:
                value = parse_decimal(entry.get("mappedValue", "").strip())
                if value is not None:
                    self.mapping[entry.get("mapKey", "").strip()] = value
            self.case_sensitive = not entries or any(
                e.get("caseSensitive", "true") != "false" for e in entries
            )


class _Item:
    """One assessmentItem being read."""

    def __init__(
        self,
        root,
        report: ImportReport,
        location: str,
        language: str,
        sources: dict,
        files: Callable[[str], tuple[str, bytes] | None] | None = None,
    ):
        self.root, self.report, self.location = root, report, location
        self.files = files
        self.imported: set[str] = set()
        self.losses: list[str] = []
        # Our own export's Markdown names the package's images as its XHTML does.
        self.sources = {part: rewrite_images(text, self.image) for part, text in sources.items()}
        lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", "").lower()[:2]
        self.language = {"zh": "zh-hans", "en": "en"}.get(lang, language)
        self.declarations = {
            d.get("identifier"): _Declaration(d) for d in _kids(root, "responseDeclaration")
        }
        processing = _first(root, "responseProcessing")
        template = "" if processing is None else processing.get("template", "")
        self.template = template.rstrip("/").rsplit("/", 1)[-1].removesuffix(".xml")
        self.processing = processing
        self.body = _first(root, "itemBody")
        self.marks: dict = {}
        self.skip: set = set()

    def declaration(self, interaction) -> _Declaration:
        found = self.declarations.get(interaction.get("responseIdentifier"))
        return found or _Declaration(Element("responseDeclaration"))

    def bi(self, text: str) -> dict:
        return {self.language: text}

    def image(self, reference: str) -> str | None:
        """The pending address of an image of the package the item names, if it is one we
        take (a reference outside the package, or a refused image, gives None)."""
        if self.files is None or _ON_THE_WEB.match(reference) or PENDING_RE.match(reference):
            return None
        found = self.files(reference)
        if found is None:
            return None
        image, problem = checked(found[1], found[0])
        if problem:
            self.losses.append(problem)
            return None
        self.imported.add(reference)
        return self.report.add_media(image)

    def text(self, *prompts) -> str:
        """Body text followed by the prompts of block interactions."""
        if "text" in self.sources:
            parts = [self.sources["text"]]
        else:
            parts = [_body_text(self.body, self.marks, self.skip, self.image)]
        parts += [_content(p, images=self.image) for p in prompts if p is not None]
        return "\n\n".join(p for p in parts if p)

    def choice_text(self, choice) -> str:
        """The text of a choice (or item, or match choice)."""
        part = f"choice:{choice.get('identifier', '')}"
        if part in self.sources:
            return self.sources[part]
        return _content(choice, images=self.image)

    def points(self, mapped: Decimal | None = None) -> str:
        """MAXSCORE; else the most a mapping can give (its scores are the points); else 1."""
        for outcome in _kids(self.root, "outcomeDeclaration"):
            value = _first(outcome, "value") if outcome.get("identifier") == "MAXSCORE" else None
            number = parse_decimal((value.text or "").strip()) if value is not None else None
            if number and number > 0:
                return decimal_text(number)
        if mapped is not None and mapped > 0:
            return decimal_text(mapped)
        return "1"

    def scored_by_mapping(self, interaction) -> bool:
        """Whether the response processing scores this interaction's response by its mapping."""
        if self.template:
            return self.template in ("map_response", "map_response_point")
        if not self.custom_processing():
            return bool(self.declaration(interaction).mapping)
        identifier = interaction.get("responseIdentifier")
        return any(
            _local(e.tag) == "mapResponse" and e.get("identifier") == identifier
            for e in self.processing.iter()
        )

    def custom_processing(self) -> bool:
        """Response processing of the item's own, not a standard template."""
        return self.processing is not None and not self.template and len(self.processing) > 0

    def add(self, kind: str, text: str, content: dict, key: dict, points: str = "") -> None:
        self._note_unkept()
        title = self.sources.get("title", self.root.get("title", ""))
        if not text.strip() and title.strip():
            # Some items show only their interaction and say what to do in the title.
            text = title.strip()
            self.report.warn(
                self.location, _("the item shows no text of its own: its title is the text")
            )
        question = make_question(
            kind,
            self.bi(text),
            content=content,
            key=key,
            points=points or self.points(),
            title=title,
        )
        add_checked(self.report, self.location, question)
        note_losses(self.report, self.location, self.losses)
        note_dropped_files(self.report, self.location, self._files())

    def _files(self) -> list[str]:
        """The files of the package the question's texts name (which are not imported)."""
        shown = [self.body] + [e for e in self.root if _local(e.tag) == "modalFeedback"]
        found = [packaged_file(e) for part in shown for e in part.iter()]
        found = [f for f in found if f and f not in self.imported]
        return [file_name(f) if f.lower().startswith("data:") else f for f in found]

    def _note_unkept(self) -> None:
        """Losses of the item as a whole: feedback and template variables."""
        names = {_local(e.tag) for e in self.root.iter()}
        if "modalFeedback" in names:
            self.losses.append(_("feedback shown after answering (modalFeedback)"))
        if names & {"feedbackBlock", "feedbackInline"}:
            self.losses.append(_("feedback inside the question (feedbackBlock, feedbackInline)"))
        if names & {"templateDeclaration", "templateProcessing", "printedVariable"}:
            self.losses.append(_("template variables (values that change per student)"))


def _ids(identifiers: list[str], make: Callable[[int], str]) -> dict[str, str]:
    """Keep QTI identifiers as ids when short and unique, else number them."""
    if len(set(identifiers)) == len(identifiers) and all(0 < len(i) <= MAX_ID for i in identifiers):
        return {i: i for i in identifiers}
    return {ident: make(n) for n, ident in enumerate(identifiers)}


def _rounded(total: Decimal) -> Decimal:
    """A sum of mapped scores to 4 places: thirds written as 0.333333 add up to 1."""
    return total.quantize(Decimal("0.0001"))


def _shown(values) -> str:
    """Mapped scores for a message: '5, 3, 1'."""
    return ", ".join(decimal_text(v) for v in values)


def _single_mapped(item: _Item, decl: _Declaration, names: dict, correct: list[str]) -> str:
    """Points of a single choice scored by its mapping; other choices' credit is a loss."""
    values = {new: decl.mapping.get(old, decl.default) for old, new in names.items()}
    best = min(max(values.values(), default=Decimal(0)), decl.upper or Decimal("Infinity"))
    partly = [f"{i} ({decimal_text(v)})" for i, v in values.items() if v > 0 and i not in correct]
    if partly:
        item.losses.append(
            _("credit for other choices: %(choices)s (single choice is all or nothing)")
            % {"choices": ", ".join(partly)}
        )
    return item.points(best)


def _penalty(item: _Item, values: dict[str, Decimal], correct: list[str]) -> str:
    """The penalty of partial scoring: negative mapped values over positive ones, capped at 1."""
    positive = sum((max(values[i], Decimal(0)) for i in correct), Decimal(0))
    negative = sum((-min(v, Decimal(0)) for i, v in values.items() if i not in correct), Decimal(0))
    if not positive:
        return "0"
    if len({v for i, v in values.items() if i not in correct and v < 0}) > 1:
        item.losses.append(_("different penalties per wrong choice (summed)"))
    penalty = _rounded(negative / positive)
    if penalty > 1:
        item.losses.append(_("penalties above the whole question (capped at 1)"))
    return decimal_text(min(penalty, Decimal(1)), 4)


def _multiple_mapped(item: _Item, decl: _Declaration, names: dict, correct: list[str]) -> tuple:
    """(penalty, points) of a multiple choice scored by its mapping, noting what is lost."""
    values = {new: decl.mapping.get(old, decl.default) for old, new in names.items()}
    gains = [values[i] for i in correct]
    if len(set(gains)) > 1:
        item.losses.append(
            _("unequal scores of the correct choices (%(scores)s); each now counts the same")
            % {"scores": _shown(gains)}
        )
    if any(v > 0 for i, v in values.items() if i not in correct):
        item.losses.append(_("credit for choices that are not correct"))
    total = _rounded(sum((max(v, Decimal(0)) for v in gains), Decimal(0)))
    if decl.upper is not None and decl.upper < total:
        item.losses.append(
            _("full marks before every correct choice is picked (upper bound %(upper)s)")
            % {"upper": decimal_text(decl.upper)}
        )
        total = decl.upper
    negative = any(v < 0 for v in values.values())
    if negative and (decl.lower is None or decl.lower < 0):
        item.losses.append(_("scores below zero (counted as 0)"))
    return _penalty(item, values, correct), item.points(total)


def _choice(item: _Item, interaction) -> None:
    """choiceInteraction or inlineChoiceInteraction."""
    decl = item.declaration(interaction)
    inline = _local(interaction.tag) == "inlineChoiceInteraction"
    choices = _kids(interaction, "inlineChoice" if inline else "simpleChoice")
    names = _ids([c.get("identifier", "") for c in choices], letter_id)
    options = [
        {"id": names[c.get("identifier", "")], "text": item.bi(item.choice_text(c))}
        for c in choices
    ]
    if inline:
        item.marks[interaction] = MISSING_WORD
    else:
        item.skip.add(interaction)
    text = item.text(None if inline else _first(interaction, "prompt"))
    mapped = item.scored_by_mapping(interaction) and bool(decl.mapping)
    correct = [names[v] for v in decl.correct if v in names]
    if not correct and decl.mapping:
        positive = {k: v for k, v in decl.mapping.items() if v > 0 and k in names}
        if decl.cardinality == "single" or inline:
            positive = {k: v for k, v in positive.items() if v == max(positive.values())}
        correct = [names[k] for k in positive]
    if decl.cardinality == "single" or inline:
        points = _single_mapped(item, decl, names, correct) if mapped else ""
        if sorted(names) == ["false", "true"] and len(correct) == 1:
            item.add("true_false", text, {}, {"correct": correct[0] == "true"}, points)
        else:
            key = {"correct": next(iter(correct), "")}
            item.add("single_choice", text, {"options": options}, key, points)
        return
    penalty, points = _multiple_mapped(item, decl, names, correct) if mapped else ("0", "")
    key = {
        "correct": correct,
        "scoring": "partial" if mapped else "all_or_nothing",
        "penalty": penalty,
    }
    item.add("multiple_choice", text, {"options": options}, key, points)


def _tolerance(item: _Item) -> tuple[str, str]:
    """(tolerance, mode) from an <equal> in the response processing; exact without one."""
    equal = None if item.processing is None else _first(item.processing, "equal")
    if equal is None:
        return "0", "absolute"
    mode = equal.get("toleranceMode", "exact")
    value = parse_decimal((equal.get("tolerance") or "0").split()[0]) or Decimal(0)
    if mode == "relative":
        return decimal_text(value / 100), "relative"  # QTI gives a percentage
    return (decimal_text(value) if mode == "absolute" else "0"), "absolute"


def _unit_paragraph(item: _Item, interaction) -> str | None:
    """The unit after a lone numeric entry in its own paragraph ('<p>[entry] kg</p>')."""
    parent = next((p for p in item.body.iter() if interaction in list(p)), None)
    if (
        parent is None
        or _local(parent.tag) != "p"
        or len(parent) != 1
        or (parent.text or "").strip()
    ):
        return None
    unit = " ".join((interaction.tail or "").split())
    if unit and len(unit.split()) == 1:
        item.skip.add(parent)
        return unit
    return None


def _text_entries(item: _Item, interactions: list) -> None:
    """textEntryInteractions: numeric if one numeric entry, else fill_blanks."""
    decls = [item.declaration(i) for i in interactions]
    if len(interactions) == 1 and decls[0].base_type in ("float", "integer"):
        item.marks[interactions[0]] = MISSING_WORD
        value = parse_decimal(next(iter(decls[0].correct), ""))
        if value is None:
            item.report.error(item.location, _("the numeric answer has no correct value"))
            return
        unit = _unit_paragraph(item, interactions[0])
        text = item.text()
        found = None if unit else re.search(r"\n\n_____ (\S+)$", "\n\n" + text)
        if found:
            text, unit = text[: found.start()], found.group(1)
        tolerance, mode = _tolerance(item)
        key = {"value": decimal_text(value), "tolerance": tolerance, "tolerance_mode": mode}
        item.add("numeric", text.rstrip(), {"unit": unit} if unit else {}, key)
        return
    blanks, worth = [], []
    for number, (interaction, decl) in enumerate(zip(interactions, decls, strict=True), 1):
        item.marks[interaction] = f"[[{number}]]"
        full = max(decl.mapping.values(), default=Decimal(0))
        accepted = decl.correct + [k for k, v in decl.mapping.items() if v == full and v > 0]
        if any(0 < v < full for v in decl.mapping.values()):
            item.losses.append(_("partly correct answers"))
        blanks.append({"accepted": list(dict.fromkeys(a for a in accepted if a))})
        if item.scored_by_mapping(interaction) and full > 0:
            worth.append(min(full, decl.upper) if decl.upper is not None else full)
    if len(set(worth)) > 1:
        item.losses.append(
            _("unequal scores of the gaps (%(scores)s); each now counts the same")
            % {"scores": _shown(worth)}
        )
    sensitive = {d.case_sensitive for d in decls}
    if len(sensitive) > 1:
        item.losses.append(_("case-insensitive matching of some blanks"))
    key = {"blanks": blanks, "case_sensitive": True in sensitive, "normalise_whitespace": True}
    points = item.points(_rounded(sum(worth, Decimal(0)))) if len(worth) == len(blanks) else ""
    item.add("fill_blanks", item.text(), {"blanks": len(blanks)}, key, points)


def _scores_positions(processing, count: int) -> bool:
    """Whether custom processing adds one for each item in its correct position (as we write)."""
    indexes = [e for e in processing.iter() if _local(e.tag) == "index"]
    positions = {e.get("n") for e in indexes}
    return len(indexes) == 2 * count and positions == {str(n) for n in range(1, count + 1)}


def _order(item: _Item, interaction) -> None:
    """orderInteraction: all or nothing, or a share per item in its correct position."""
    decl = item.declaration(interaction)
    choices = _kids(interaction, "simpleChoice")
    names = _ids([c.get("identifier", "") for c in choices], lambda n: f"i{n + 1}")
    items = [
        {"id": names[c.get("identifier", "")], "text": item.bi(item.choice_text(c))}
        for c in choices
    ]
    item.skip.add(interaction)
    scoring = "all_or_nothing"
    if item.custom_processing() and _scores_positions(item.processing, len(choices)):
        scoring = "partial"
    elif (
        item.template not in ("match_correct", "") or item.custom_processing()
    ) and not _all_or_nothing_processing(item.processing):
        item.losses.append(_("the item's own scoring (read as all-or-nothing)"))
    key = {"order": [names.get(v, v) for v in decl.correct], "scoring": scoring}
    item.add("ordering", item.text(_first(interaction, "prompt")), {"items": items}, key)


def _all_or_nothing_processing(processing) -> bool:
    """Custom processing that only gives MAXSCORE for the correct response (as we write it)."""
    if processing is None or processing.get("template"):
        return processing is not None and processing.get("template", "").endswith("match_correct")
    names = [_local(e.tag) for e in processing.iter()]
    allowed = {"responseProcessing", "responseCondition", "responseIf", "match", "variable"}
    return "match" in names and set(names) <= allowed | {"correct", "setOutcomeValue"}


def _pairs(item: _Item, decl: _Declaration) -> list[tuple[str, str]]:
    """Correct pairs of a match or associate interaction."""
    values = decl.correct or [k for k, v in decl.mapping.items() if v > 0]
    return [tuple(v.split()) for v in values if len(v.split()) == 2]


def _matching(item: _Item, interaction) -> None:
    """matchInteraction (two sets) or associateInteraction (one set, unordered pairs)."""
    decl = item.declaration(interaction)
    item.skip.add(interaction)
    pairs = _pairs(item, decl)
    if _local(interaction.tag) == "matchInteraction":
        sets = _kids(interaction, "simpleMatchSet")
        sources = _kids(sets[0], "simpleAssociableChoice") if sets else []
        targets = _kids(sets[1], "simpleAssociableChoice") if len(sets) > 1 else []
    else:
        every = _kids(interaction, "simpleAssociableChoice")
        firsts = {a for a, _b in pairs}
        if firsts & {b for _a, b in pairs}:
            item.report.warn(item.location, _("these associations cannot become matching; skipped"))
            return
        sources = [c for c in every if c.get("identifier") in firsts]
        targets = [c for c in every if c.get("identifier") not in firsts]
        item.losses.append(_("association read as matching"))
    if item.scored_by_mapping(interaction) and decl.mapping:
        points = _pairs_mapped(item, decl, pairs)
    else:
        points = ""
    key: dict[str, str] = {}
    for source, target in pairs:
        if source in key:
            item.losses.append(_("a second match for the same prompt"))
        key.setdefault(source, target)
    if any(s.get("identifier") not in key for s in sources):
        item.losses.append(_("prompts without a correct match"))
    prompts = [s for s in sources if s.get("identifier") in key]
    names = _ids([c.get("identifier", "") for c in prompts + targets], lambda n: f"m{n + 1}")
    content = {
        "prompts": [
            {"id": names[p.get("identifier")], "text": item.bi(item.choice_text(p))}
            for p in prompts
        ],
        "choices": [
            {"id": names[t.get("identifier")], "text": item.bi(item.choice_text(t))}
            for t in targets
        ],
    }
    pairs_key = {
        names[p.get("identifier")]: names.get(key[p.get("identifier")], "") for p in prompts
    }
    text = item.text(_first(interaction, "prompt"))
    item.add("matching", text, content, {"pairs": pairs_key}, points)


def _pairs_mapped(item: _Item, decl: _Declaration, pairs: list[tuple[str, str]]) -> str:
    """Points of a matching scored by its mapping, noting scores it cannot keep."""
    correct = {" ".join(p) for p in pairs}
    gains = [decl.mapping.get(p, decl.default) for p in correct]
    if len(set(gains)) > 1:
        item.losses.append(
            _("unequal scores of the pairs (%(scores)s); each prompt now counts the same")
            % {"scores": _shown(sorted(gains, reverse=True))}
        )
    if any(v > 0 for k, v in decl.mapping.items() if k not in correct):
        item.losses.append(_("credit for pairs that are not correct"))
    total = _rounded(sum((max(v, Decimal(0)) for v in gains), Decimal(0)))
    return item.points(min(total, decl.upper) if decl.upper is not None else total)


def _essay(item: _Item, interaction) -> None:
    """extendedTextInteraction; a rubricBlock for scorers is the guidance."""
    item.skip.add(interaction)
    guidance = ""
    for block in (e for e in item.body.iter() if _local(e.tag) == "rubricBlock"):
        if "scorer" in block.get("view", "").split():
            item.skip.add(block)
            guidance = (
                guidance or item.sources.get("guidance") or _body_text(block, {}, set(), item.image)
            )
    key = {"guidance": item.bi(guidance)} if guidance else {}
    item.add("essay", item.text(_first(interaction, "prompt")), {}, key)


_SINGLE = {
    "choiceInteraction": _choice,
    "inlineChoiceInteraction": _choice,
    "orderInteraction": _order,
    "matchInteraction": _matching,
    "associateInteraction": _matching,
    "extendedTextInteraction": _essay,
}


def _unreadable_answer(item: _Item, interactions: list) -> bool:
    """Refuse an item whose own response processing is the only place its answer lives."""
    for interaction in interactions:
        decl = item.declaration(interaction)
        if _local(interaction.tag) == "extendedTextInteraction" or decl.correct:
            continue
        if item.custom_processing() and not (decl.mapping and item.scored_by_mapping(interaction)):
            item.report.error(
                item.location,
                _(
                    "the item scores answers with its own response processing and declares "
                    "no correctResponse, so its correct answer cannot be read; not imported"
                ),
            )
            return True
    return False


def _camel(name: str) -> str:
    """'response-identifier' as 'responseIdentifier'."""
    first, *rest = name.split("-")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def from_qti3(root):
    """A QTI 3.0 item renamed, in place, to QTI 2.1's names, which the reader knows.

    <qti-x-y a-b="…"> becomes <xY aB="…"> (other elements, the XHTML ones, are left as they
    are), and <qti-content-body> wrappers give their content to their parent.
    """
    for element in list(root.iter()):
        name = _local(element.tag)
        if not name.startswith("qti-"):
            continue
        element.tag = _camel(name.removeprefix("qti-"))
        for key in [k for k in element.attrib if "-" in k and not k.startswith("{")]:
            element.attrib[_camel(key)] = element.attrib.pop(key)
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag == "contentBody":
                _unwrap(parent, index, child)
    return root


def _unwrap(parent, index: int, child) -> None:
    """Put a child's text and children where the child was."""
    text = (child.text or "") if len(child) else (child.text or "") + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    kids = list(child)
    if kids:
        kids[-1].tail = (kids[-1].tail or "") + (child.tail or "")
    parent.remove(child)
    for offset, kid in enumerate(kids):
        parent.insert(index + offset, kid)


def _read_item(
    root,
    report: ImportReport,
    location: str,
    language: str,
    sources: dict | None = None,
    files: Callable[[str], tuple[str, bytes] | None] | None = None,
) -> None:
    """One assessmentItem root to a question (or an error or warning)."""
    if _local(root.tag) == "qti-assessment-item":
        root = from_qti3(root)
    name = _local(root.tag)
    if name != "assessmentItem":
        report.error(location, _("this is not a QTI assessment item but <%(n)s>") % {"n": name})
        return
    item = _Item(root, report, location, language, sources or {}, files)
    if item.body is None:
        report.error(location, _("the item has no itemBody"))
        return
    interactions = [e for e in item.body.iter() if _local(e.tag).endswith("Interaction")]
    kinds = {_local(i.tag) for i in interactions}
    readable = kinds == {"textEntryInteraction"} or (
        len(interactions) == 1 and _local(interactions[0].tag) in _SINGLE
    )
    if readable and _unreadable_answer(item, interactions):
        return
    if kinds == {"textEntryInteraction"}:
        _text_entries(item, interactions)
    elif len(interactions) == 1 and _local(interactions[0].tag) in _SINGLE:
        _SINGLE[_local(interactions[0].tag)](item, interactions[0])
    else:
        found = ", ".join(sorted(kinds)) or _("none")
        report.warn(location, _("unsupported interactions (%(found)s); skipped") % {"found": found})


def parse(data: bytes, *, default_language: str = "en") -> ImportReport:
    """Read a QTI 2.1 item (.xml) or content package (.zip)."""
    report = ImportReport()
    if data[:4] == b"PK\x03\x04":
        with _opened(data, report) as package:
            for href, blob, sources in package.items() if package else []:
                root = load_xml(blob, report, at_item(href))
                if root is not None:
                    files = functools.partial(package.file, href)
                    _read_item(root, report, at_item(href), default_language, sources, files)
        return report
    root = load_xml(data, report)
    if root is None:
        return report
    name = _local(root.tag)
    if name == "manifest":
        report.error(at_file(), _("this is a package manifest: upload the whole zip package"))
    elif name == "questestinterop":
        report.error(at_file(), _("this is QTI 1.x; only QTI 2.1 and 3.0 are read"))
    else:
        _read_item(root, report, at_item(root.get("identifier", name)), default_language)
    return report
