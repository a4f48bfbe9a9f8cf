"""The code's structure: domains form layers (the import-linter contracts in pyproject.toml),
and no module hides an import of the project inside a function to dodge a loop."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mentorship"


def test_the_layer_contracts_hold(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0, "see the broken contracts above"


def function_level_imports(path: Path) -> list[str]:
    """`file:line` of each import of mentorship inside a function of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else ["mentorship"]
            if any(name.split(".")[0] == "mentorship" for name in names):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_import_of_the_project_hides_inside_a_function() -> None:
    hidden = [
        place
        for path in sorted(PACKAGE.rglob("*.py"))
        if "piccolo_migrations" not in path.parts
        for place in function_level_imports(path)
    ]
    assert hidden == []


# The modules of a domain that speak HTTP; every other module (services, policies, tables,
# schemas, commands) must work without the web framework.
WEB_MODULES = {"controllers", "pages", "middleware", "cookies", "guards", "domain"}
WEB_FOLDERS = {"web", "lib"}


def imports_litestar(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        if any(name.split(".")[0] == "litestar" for name in names):
            return True
    return False


def test_only_the_web_facing_modules_of_a_domain_import_litestar() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if len(path.relative_to(PACKAGE).parts) == 2
        and path.parent.name not in WEB_FOLDERS
        and path.stem not in WEB_MODULES
        and not path.stem.endswith("_pages")
        and imports_litestar(path)
    ]
    assert offenders == []
