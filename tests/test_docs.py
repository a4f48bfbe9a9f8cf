"""The documentation stands on its own and keeps up with the code: every link points into the
repository, no page cites files outside it, every picture a guide shows is a screenshot some
browser test saves (so ./scripts/doc-screenshots can refresh it), and the architecture picture
is the one scripts/architecture draws from the code today. Pure: no database."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMAGE_LINK = re.compile(r"\]\((images/[^)\s]+\.png)\)")
# A Markdown link's target: [words](target) or [words](target "title").
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# Files the repository does not hold: the specification and the documents it grew from.
OUTSIDE = re.compile(r"PRODUCT\.md|\.\./shared|\bshared/(?:seeds|PRODUCT|STYLE)|\bseeds/")


def documents() -> list[Path]:
    """Every page a reader may open: the guides and the README."""
    return [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]


def heading_anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings (code blocks aside)."""
    anchors: set[str] = set()
    in_code = False
    for line in page.read_text(encoding="utf-8").splitlines():
        in_code = in_code != line.startswith("```")
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if heading and not in_code and not line.startswith("```"):
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            repeat = sum(1 for a in anchors if a == slug or re.fullmatch(rf"{slug}-\d+", a))
            anchors.add(f"{slug}-{repeat}" if repeat else slug)
    return anchors


def test_every_link_points_to_a_file_in_the_repository():
    broken = []
    for doc in documents():
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            path, _, anchor = target.partition("#")
            if re.match(r"[a-z]+:", path):
                continue  # a web address
            resolved = (doc.parent / path).resolve() if path else doc
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in heading_anchors(resolved):
                broken.append(f"{doc.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, f"links to paths or headings that are not in the repository: {broken}"


def test_no_page_cites_files_outside_the_repository():
    cited = [
        f"{doc.relative_to(ROOT)}:{number}: {line.strip()}"
        for doc in documents()
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not cited, (
        "pages cite files outside the repository (move what readers need into docs/):\n"
        + "\n".join(cited)
    )


def _architecture_script() -> ModuleType:
    """scripts/architecture, loaded as a module (it has no .py suffix)."""
    path = ROOT / "scripts" / "architecture"
    loader = importlib.machinery.SourceFileLoader("architecture_script", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # its dataclasses look their module up there
    loader.exec_module(module)
    return module


def test_the_architecture_picture_is_up_to_date():
    script = _architecture_script()
    text = script.DOC.read_text(encoding="utf-8")
    assert script.updated(text, script.picture()) == text, (
        "docs/architecture.md is out of date: run scripts/architecture"
    )


def test_the_architecture_page_says_what_every_domain_holds():
    script = _architecture_script()
    table = re.search(r"## What each domain holds\n(.*?)\n\n", script.DOC.read_text("utf-8"), re.S)
    assert table is not None
    described = set(
        re.findall(
            r"`([\w]+)`",
            "\n".join(
                line.split("|")[1] for line in table.group(1).splitlines() if line.startswith("| `")
            ),
        )
    )
    missing = sorted(set(script.domains_on_disk()) - described)
    assert not missing, f"docs/architecture.md does not say what these domains hold: {missing}"


def test_the_architecture_picture_draws_breaks_in_red():
    script = _architecture_script()
    layers = [
        script.Layer("top", ("top",), True),
        script.Layer("a | b", ("a", "b"), True),
        script.Layer("c : d", ("c", "d"), False),
        script.Layer("bottom", ("bottom",), True),
    ]
    edges = {("top", "a"), ("bottom", "top"), ("a", "b"), ("c", "d"), ("a", "bottom")}
    picture = script.render(layers, ["top", "a", "b", "c", "d", "bottom", "stray"], edges)
    arrows = [line.strip() for line in picture.splitlines() if "-->" in line]
    assert arrows == [
        "d_a --> d_b",
        "d_a --> d_bottom",
        "d_bottom --> d_top",
        "d_c --> d_d",
        "d_top --> d_a",
    ]
    # Upward (bottom -> top) and between independent siblings (a -> b): links 0 and 2.
    assert f"linkStyle 0,2 {script.BREAK_STYLE}" in picture
    assert 'subgraph unlayered["not in the contract"]' in picture


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
