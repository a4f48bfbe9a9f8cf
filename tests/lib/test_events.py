"""Signals: announced below, heard above, never lost."""

import pytest

from mentorship.lib.events import NobodyListening, Provision, Signal


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


async def test_a_provision_is_answered_by_its_one_provider() -> None:
    doubled: Provision[[int], int] = Provision("sample.doubled")

    async def first(value: int) -> int:
        return value * 3

    async def second(value: int) -> int:
        return value * 2

    with pytest.raises(NobodyListening, match=r"sample\.doubled"):
        await doubled(4)
    doubled.connect(first)
    doubled.connect(second)  # the last one connected answers
    assert await doubled(4) == 8
