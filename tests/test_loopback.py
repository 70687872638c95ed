"""The test-only aioice patch that lets WebRTC connect over loopback (posecheck/live/loopback.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import aioice.ice
import pytest

from posecheck.live.loopback import ENV_VAR, allow_loopback_ice

HostAddresses = Callable[[bool, bool], list[str]]


@pytest.fixture
def restore_aioice() -> Iterator[HostAddresses]:
    original = aioice.ice.get_host_addresses
    yield original
    aioice.ice.get_host_addresses = original


def test_does_nothing_without_the_switch(
    monkeypatch: pytest.MonkeyPatch, restore_aioice: HostAddresses
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert allow_loopback_ice() is False
    assert aioice.ice.get_host_addresses is restore_aioice
    monkeypatch.setenv(ENV_VAR, "0")
    assert allow_loopback_ice() is False
    assert aioice.ice.get_host_addresses is restore_aioice


def test_offers_loopback_once_and_only_for_ipv4(
    monkeypatch: pytest.MonkeyPatch, restore_aioice: HostAddresses
) -> None:
    monkeypatch.setenv(ENV_VAR, "1")
    monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: ["192.0.2.7"])
    assert allow_loopback_ice() is True
    patched = aioice.ice.get_host_addresses
    assert patched(True, False) == ["192.0.2.7", "127.0.0.1"]
    assert patched(False, True) == ["192.0.2.7"]
    assert allow_loopback_ice() is True  # a second call keeps the same wrapper
    assert aioice.ice.get_host_addresses is patched
    assert patched(True, True).count("127.0.0.1") == 1


def test_ice_agent_gathers_a_loopback_candidate(
    monkeypatch: pytest.MonkeyPatch, restore_aioice: HostAddresses
) -> None:
    """aioice's own gathering (module-global lookup) sees the patch: a host candidate on 127.0.0.1."""
    monkeypatch.setenv(ENV_VAR, "1")
    monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: [])
    assert allow_loopback_ice() is True

    async def gather() -> list[str]:
        conn = aioice.Connection(ice_controlling=True, use_ipv6=False)
        try:
            await conn.gather_candidates()
            return [c.host for c in conn.local_candidates]
        finally:
            await conn.close()

    assert "127.0.0.1" in asyncio.run(gather())
