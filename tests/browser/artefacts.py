"""Where browser tests keep what they leave behind (screenshots), and the accessibility check
they run on a page.

Screenshots go to `var/test-artifacts/<test>/` (git-ignored), or under the folder named by
`CBEC_TEST_ARTIFACTS` when it is set (a CI job can collect it)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def artefacts_dir(test: str) -> Path:
    base = Path(os.environ.get("CBEC_TEST_ARTIFACTS") or ROOT / "var" / "test-artifacts")
    folder = base / test
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page, test: str, name: str, *, full_page: bool = True) -> Path:
    path = artefacts_dir(test) / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page) -> list[str]:
    """What axe-core finds wrong on the page (WCAG 2.0/2.1 A and AA and axe's best practices),
    one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
        },
    )
    return [
        f"{violation['id']}: {node['target']} {node.get('failureSummary', '')[:160]}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]
