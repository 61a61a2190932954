"""Question tags as teachers type them: words in one field, separated by commas (Chinese
commas and enumeration commas too). Pure: the services store them (QuestionTag)."""

import re

from django.utils.translation import gettext as _

MAX_LENGTH = 50  # QuestionTag.name
MAX_TAGS = 20
SEPARATORS = re.compile(r"[,，、;；\n]+")


def parse(text: str) -> list[str]:
    """'Amazon, listing，amazon' -> ['Amazon', 'listing']: trimmed, spaces collapsed, each
    once whatever its case (the first spelling wins), in the order typed."""
    names: dict[str, str] = {}
    for part in SEPARATORS.split(text or ""):
        name = " ".join(part.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def problems(tags: object) -> list[str]:
    """What is wrong with a question's list of tags, as messages; empty means fine."""
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return [_("Tags must be a list of words.")]
    found = []
    if len(tags) > MAX_TAGS:
        found.append(_("Give at most %(n)d tags.") % {"n": MAX_TAGS})
    too_long = [t for t in tags if len(t) > MAX_LENGTH]
    if too_long:
        found.append(
            _("A tag has at most %(n)d characters: %(tags)s.")
            % {"n": MAX_LENGTH, "tags": ", ".join(too_long)}
        )
    if any(not t.strip() or SEPARATORS.search(t) for t in tags):
        found.append(_("A tag cannot be empty or hold a comma."))
    return found


def sort_out(names: list[str]) -> tuple[list[str], list[str]]:
    """Tags another system gave a question, one name each (Moodle XML's <tag>, GIFT's
    [tag:…]): (the names we can use, a phrase for each we cannot). Spaces are collapsed, empty
    names dropped and each name kept once whatever its case (the first spelling wins); a name
    that is too long or holds a separator, and any past the first MAX_TAGS, cannot be used."""
    kept: list[str] = []
    refused: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join((raw or "").split())
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        shown = name if len(name) <= MAX_LENGTH else name[:MAX_LENGTH] + "…"
        if len(name) > MAX_LENGTH:
            refused.append(
                _("tag '%(tag)s' (a tag has at most %(n)d characters)")
                % {"tag": shown, "n": MAX_LENGTH}
            )
        elif SEPARATORS.search(name):
            refused.append(
                _("tag '%(tag)s' (a tag cannot hold a comma or a semicolon)") % {"tag": shown}
            )
        elif len(kept) >= MAX_TAGS:
            refused.append(
                _("tag '%(tag)s' (a question has at most %(n)d tags)")
                % {"tag": shown, "n": MAX_TAGS}
            )
        else:
            kept.append(name)
    return kept, refused
