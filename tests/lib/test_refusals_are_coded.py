"""Every refusal is raised as a coded message, never as English text: a `DomainError` (or any
subclass) made with a string, an f-string or a string built on the spot, at the whole or at a
field, fails here. (The type of `DomainError` says the same to mypy; this catches it in the
test run too, with the place named.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mentorship.lib.errors import Conflict, DomainError, NotFound, ValidationFailed
from mentorship.lib.messages import Message

PACKAGE = Path(__file__).resolve().parent.parent.parent / "mentorship"
BASE_ERRORS = {
    "DomainError",
    "ValidationFailed",
    "NotAuthenticated",
    "InvalidCredentials",
    "PermissionDenied",
    "NotFound",
    "Conflict",
    "TooManyAttempts",
}


def modules() -> dict[Path, ast.Module]:
    """Every module of the application (migrations aside), parsed."""
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "piccolo_migrations" not in path.parts
    }


def refusal_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """The names of DomainError and of every class that derives from it, however deep."""
    names = set(BASE_ERRORS)
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def is_text(node: ast.AST) -> bool:
    """True for words written in place: a string, an f-string, or one built from them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return is_text(node.left) or is_text(node.right)
    if isinstance(node, ast.IfExp):
        return is_text(node.body) or is_text(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "…".format(…), ", ".join(…)
        return is_text(node.func.value)
    return False


def texts_in(node: ast.AST) -> bool:
    """Whether a refusal's argument is, or holds at a field, words written in place."""
    if is_text(node):
        return True
    if isinstance(node, ast.Dict):
        return any(is_text(value) for value in node.values)
    if isinstance(node, ast.DictComp):
        return is_text(node.value)
    return False


def english_refusals(trees: dict[Path, ast.Module]) -> list[str]:
    """`file:line` of each refusal made with English text."""
    names = refusal_classes(trees)
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
            if name not in names:
                continue
            arguments = [*node.args, *(k.value for k in node.keywords if k.arg != "retry_after")]
            if any(texts_in(argument) for argument in arguments):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_refusal_is_raised_as_english_text() -> None:
    assert english_refusals(modules()) == [], "raise a code from the domain's catalogue"


@pytest.mark.parametrize(
    "source",
    [
        'raise NotFound("no such thing")',
        'raise Conflict(f"case {case_id} is closed")',
        'raise ValidationFailed({"name": "must not be blank"})',
        'raise ValidationFailed({k: f"bad {v}" for k, v in x.items()})',
        'raise Refused("cannot " + verb)',
        'raise PermissionDenied("you may not {}".format(x))',
    ],
)
def test_the_scan_finds_english_text(source: str) -> None:
    tree = ast.parse(f"class Refused(Conflict):\n    pass\n\n\n{source}\n")
    assert english_refusals({PACKAGE / "example.py": tree}) == ["example.py:5"]


def test_the_scan_lets_codes_pass() -> None:
    source = (
        'raise NotFound(CASES("not_found", case_id=case_id))\n'
        'raise ValidationFailed({"name": DISTRICT("blank")})\n'
        "raise TooManyAttempts(AUTH('too_many_attempts', wait=w), retry_after=3)\n"
    )
    assert english_refusals({PACKAGE / "example.py": ast.parse(source)}) == []


def test_a_refusal_keeps_its_code_and_words_it_in_english() -> None:
    reason = Message("district.no_site", {"site_id": 9})
    refusal = NotFound(reason)
    assert refusal.reason == reason
    assert refusal.message == str(refusal) == "no site with id 9"
    assert isinstance(refusal, DomainError)


def test_field_refusals_keep_their_codes_and_join_their_words() -> None:
    refusal = ValidationFailed(
        {
            "name": Message("district.blank"),
            "code": Message("district.site_code_taken", {"code": "N"}),
        }
    )
    assert refusal.reasons["name"] == Message("district.blank")
    assert refusal.fields == {
        "name": "must not be blank",
        "code": "a site with the code N already exists",
    }
    assert refusal.message == "name: must not be blank; code: a site with the code N already exists"
    assert refusal.reason.code == "lib.fields"
    assert Conflict(Message("accounts.blank")).message == "must not be blank"
