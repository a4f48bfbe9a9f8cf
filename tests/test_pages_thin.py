"""Page handlers stay thin: read the form, call a service, redirect or show the page. A handler
that grows past a few lines, or catches a refusal itself instead of leaving it to the shared
helper (`web.pages`), fails here."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mentorship"
MAX_LINES = 8  # "about five", with room for one call wrapped over lines
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "form_post"}


def page_modules() -> list[Path]:
    """Every module of page handlers: `pages.py` and `*_pages.py` in a domain."""
    found = {*PACKAGE.rglob("pages.py"), *PACKAGE.rglob("*_pages.py")}
    return sorted(path for path in found if path.parent.name != "web")


def handlers(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions of a module that a route decorator makes handlers."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
            if name in ROUTE_DECORATORS:
                found.append(node)
                break
    return found


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement after the docstring to the last."""
    body = function.body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        body = body[1:]
    if not body:
        return 0
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def catches(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The exceptions a handler catches itself."""
    caught = []
    for node in ast.walk(function):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught.append(ast.unparse(node.type))
    return caught


def test_the_scan_finds_the_handlers() -> None:
    # The scan must see real handlers, or the checks below would pass on nothing.
    found = [(path.name, h.name) for path in page_modules() for h in handlers(path)]
    assert len(found) > 60
    assert ("pages.py", "login_submit") in found


def test_the_scan_counts_a_long_handler() -> None:
    source = '''
@post("/x")
async def long(self, request):
    """Docstring."""
    a = 1
    b = 2
    c = 3
    d = 4
    e = 5
    f = 6
    g = 7
    h = 8
    return a
'''
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    assert body_lines(function) == 9


def test_every_page_handler_is_a_few_lines() -> None:
    long = [
        f"{path.relative_to(PACKAGE)}:{handler.name} ({body_lines(handler)} lines)"
        for path in page_modules()
        for handler in handlers(path)
        if body_lines(handler) > MAX_LINES
    ]
    assert long == [], "move the logic into the FormPage context, a helper or the service"


def test_no_page_handler_catches_a_refusal_itself() -> None:
    catching = [
        f"{path.relative_to(PACKAGE)}:{handler.name} catches {', '.join(catches(handler))}"
        for path in page_modules()
        for handler in handlers(path)
        if catches(handler)
    ]
    assert catching == [], "declare the refusal on the FormPage (At, Banner, BackTo) instead"
