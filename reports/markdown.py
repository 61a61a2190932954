"""The definitions as Markdown, for the README (kept equal to it by a test)."""

from django.utils import translation

from .definitions import COMMON_TEXT, DIMENSION_LABELS, FIGURES, PARTNER_TEXT


def definitions_markdown(language: str = "en") -> str:
    with translation.override(language):
        lines = [
            f"- **{figure.label}** (`{figure.key}`): {figure.definition}" for figure in FIGURES
        ]
        splits = ", ".join(str(label).lower() for label in DIMENSION_LABELS.values())
        return "\n".join(
            [
                *lines,
                "",
                f"Splits and filters: {splits}. {PARTNER_TEXT}",
                "",
                str(COMMON_TEXT),
            ]
        )
