"""Signals: announced below, heard above, never lost."""

import pytest

from mentorship.lib.events import NobodyListening, Signal


async def test_every_listener_hears_each_event_in_order() -> None:
    heard: list[str] = []
    signal: Signal[int] = Signal("sample.happened")

    async def first(event: int) -> None:
        heard.append(f"first {event}")

    async def second(event: int) -> None:
        heard.append(f"second {event}")

    signal.connect(first)
    signal.connect(second)
    signal.connect(first)  # once is enough
    await signal.send(7)
    assert heard == ["first 7", "second 7"]
    assert signal.listeners == (first, second)


async def test_a_signal_nobody_listens_to_fails_loudly() -> None:
    with pytest.raises(NobodyListening, match=r"sample\.lonely"):
        await Signal[int]("sample.lonely").send(1)
