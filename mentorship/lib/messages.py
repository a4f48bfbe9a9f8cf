"""Messages as codes: what a person reads is stored and passed as a code plus parameters, and
turned into words only when shown (so a later reader can see it in their own language, and the
wording can change without touching stored rows).

Each domain declares its own `Catalogue` in its `messages.py`: the code's English wording with
`{name}` placeholders, which is also the text a translation catalogue is keyed on. A
parameter may itself be a message, or a tuple of messages (worded and joined by "; "), for
sentences built from other sentences. A placeholder written `{name:sentence}` shows its
value as a sentence: first letter capital, closing full stop (a service's reason on a page).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]

_CATALOGUES: dict[str, Catalogue] = {}


@dataclass(frozen=True)
class Message:
    """A code (`domain.name`) and the values its wording needs; JSON-friendly when stored."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The message as stored in a JSON column or sent in an API body."""
        return {"code": self.code, "params": {k: _stored(v) for k, v in self.params.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """The message read back from `as_dict`'s form."""
        params = data.get("params") or {}
        return cls(code=str(data["code"]), params={k: _read(v) for k, v in params.items()})

    def __str__(self) -> str:
        return word(self)


ParamValue = str | int | float | Message | tuple[Message, ...]
LIST_SEPARATOR = "; "


def _stored(value: ParamValue) -> Any:
    if isinstance(value, Message):
        return value.as_dict()
    if isinstance(value, tuple):
        return [item.as_dict() for item in value]
    return value


def _read(value: Any) -> ParamValue:
    if isinstance(value, Mapping):
        return Message.from_dict(value)
    if isinstance(value, list):
        return tuple(Message.from_dict(item) for item in value)
    return value


class _Text(str):
    """A parameter's words, which a wording may ask to show as a sentence."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec == "sentence":
            return as_sentence(self)
        return super().__format__(spec)


def as_sentence(text: str) -> str:
    """Words as a sentence: capital first letter, closing stop (unless one is there)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _worded(value: ParamValue, translate: Translate | None) -> str | int | float:
    if isinstance(value, Message):
        return _Text(word(value, translate))
    if isinstance(value, tuple):
        return _Text(LIST_SEPARATOR.join(word(item, translate) for item in value))
    if isinstance(value, str):
        return _Text(value)
    return value


class Catalogue:
    """One domain's messages: each code's English wording, registered under the domain's name."""

    def __init__(self, domain: str, wordings: Mapping[str, str]) -> None:
        if domain in _CATALOGUES:
            raise ValueError(f"a message catalogue for {domain!r} is already registered")
        self.domain = domain
        self.wordings = dict(wordings)
        _CATALOGUES[domain] = self

    def __call__(self, name: str, /, **params: ParamValue) -> Message:
        """The message `name` of this domain with its parameters (checked against the wording)."""
        if name not in self.wordings:
            raise KeyError(f"no message {name!r} in the {self.domain!r} catalogue")
        message = Message(code=f"{self.domain}.{name}", params=params)
        word(message)  # a missing parameter fails here, where it is made, not where it is shown
        return message


def wording(code: str) -> str:
    """The English wording (the translation key) of a message code."""
    domain, _, name = code.partition(".")
    catalogue = _CATALOGUES.get(domain)
    if catalogue is None or name not in catalogue.wordings:
        raise KeyError(f"unknown message code {code!r}")
    return catalogue.wordings[name]


def word(message: Message | str, translate: Translate | None = None) -> str:
    """The message in words, through `translate` (a gettext function) when one is given.

    A plain string is returned as it is: text that was never a coded message (a person's own
    words, a name) passes through unchanged.
    """
    if isinstance(message, str):
        return message
    template = wording(message.code)
    if translate is not None:
        template = translate(template)
    return template.format(**{k: _worded(v, translate) for k, v in message.params.items()})
