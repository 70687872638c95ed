"""Test-mode switch that lets aiortc's ICE agent offer 127.0.0.1.

aioice's `get_host_addresses` drops 127.0.0.1 on purpose, so inside a loopback-only network namespace
(the real-browser test) the server offers no candidate at all and WebRTC never connects. With
`POSECHECK_LOOPBACK_ICE=1` in the environment, `allow_loopback_ice()` wraps that function so the
loopback address is offered as well. Without the variable it does nothing: normal runs never change.
"""

from __future__ import annotations

import os
from collections.abc import Callable

ENV_VAR = "POSECHECK_LOOPBACK_ICE"
LOOPBACK_V4 = "127.0.0.1"
_MARK = "_posecheck_loopback"


def allow_loopback_ice() -> bool:
    """Patch `aioice.ice.get_host_addresses` to add 127.0.0.1 when POSECHECK_LOOPBACK_ICE=1.

    Returns True when the patch is in place (also when an earlier call put it there), False when the
    variable is not set to "1". Safe to call more than once: it never wraps twice.
    """
    if os.environ.get(ENV_VAR) != "1":
        return False
    import aioice.ice

    current: Callable[[bool, bool], list[str]] = aioice.ice.get_host_addresses
    if getattr(current, _MARK, False):
        return True

    def get_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        addresses = list(current(use_ipv4, use_ipv6))
        if use_ipv4 and LOOPBACK_V4 not in addresses:
            addresses.append(LOOPBACK_V4)
        return addresses

    setattr(get_host_addresses, _MARK, True)
    get_host_addresses.__wrapped__ = current  # type: ignore[attr-defined]
    aioice.ice.get_host_addresses = get_host_addresses
    return True
