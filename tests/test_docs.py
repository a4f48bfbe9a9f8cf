"""The documentation's pictures: every one a guide shows is in docs/images, and is a
screenshot some browser test saves (so ./scripts/doc-screenshots can refresh it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMAGE_LINK = re.compile(r"\]\((images/[^)\s]+\.png)\)")


def linked_images() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for doc in sorted(DOCS.glob("*.md")):
        for target in IMAGE_LINK.findall(doc.read_text(encoding="utf-8")):
            found.setdefault(target, []).append(doc.name)
    return found


def test_every_picture_a_guide_shows_is_there():
    missing = {t: d for t, d in linked_images().items() if not (DOCS / t).is_file()}
    assert not missing, f"pictures linked but not in docs/images: {missing}"


def test_every_picture_comes_from_a_browser_test():
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "tests" / "browser").glob("*.py")
    )
    orphans = []
    for target in linked_images():
        # <name>.<viewport>.png, saved by screenshot(page, "<name>") or an f-string around it
        name = Path(target).name.rsplit(".", 2)[0]
        stem = name.split("-", 1)[-1]
        if f'"{name}"' not in sources and stem not in sources:
            orphans.append(target)
    assert not orphans, f"no browser test saves these pictures: {orphans}"


def test_docs_images_holds_only_pictures_a_guide_shows():
    linked = {Path(t).name for t in linked_images()}
    unused = sorted(p.name for p in (DOCS / "images").glob("*.png") if p.name not in linked)
    assert not unused, f"pictures no guide links to: {unused}"
