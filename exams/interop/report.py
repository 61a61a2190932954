"""What an import or export found: the questions or bytes plus located errors and warnings."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .media import MediaFile, pending


@dataclass(frozen=True)
class Issue:
    """One problem, with where it is ("line 12", "row 7", "item q3.xml", "question 4")."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class ImportReport:
    """Parsed questions plus every error and warning; the caller refuses the file if not ok.

    media: the images the questions show, by SHA-256; their texts say media-pending:<sha256>
    where the saved image's address goes (see exams.interop.media).
    """

    questions: list[dict] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    media: dict[str, MediaFile] = field(default_factory=dict)
    # Where each question is in the file ("line 12", "question 4"), beside report.questions.
    locations: list[str] = field(default_factory=list, compare=False)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong enough to refuse the import."""
        return not self.errors

    def error(self, location: str, message: str) -> None:
        """Record an error at a location."""
        self.errors.append(Issue(location, message))

    def warn(self, location: str, message: str) -> None:
        """Record a warning at a location."""
        self.warnings.append(Issue(location, message))

    def location_of(self, number: int) -> str:
        """Where the n-th question (1-based) of report.questions is in the file."""
        if len(self.locations) == len(self.questions):
            return self.locations[number - 1]
        return at_question(number)

    def add_media(self, file: MediaFile) -> str:
        """Keep an image (once, whatever its name) and return what the text says for it."""
        self.media.setdefault(file.sha256, file)
        return pending(file)


@dataclass
class ExportResult:
    """The exported file and what the format could not hold."""

    data: bytes
    warnings: list[Issue] = field(default_factory=list)


def at_line(number: int) -> str:
    """Location of a line in a text file."""
    return _("line %(number)d") % {"number": number}


def at_row(number: int) -> str:
    """Location of a spreadsheet row."""
    return _("row %(number)d") % {"number": number}


def at_item(name: str) -> str:
    """Location of an item file inside a package."""
    return _("item %(name)s") % {"name": name}


def at_question(number: int) -> str:
    """Location of the n-th question (1-based) in an XML file or an export list."""
    return _("question %(number)d") % {"number": number}


def at_file() -> str:
    """Location for problems with the file as a whole."""
    return _("file")
