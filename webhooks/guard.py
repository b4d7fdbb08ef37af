"""SSRF guard: webhook targets must be public addresses.

A target whose host resolves to a loopback, private, link-local, shared
(CGNAT), multicast, reserved or cloud-metadata address is refused, unless
the address lies in ``WEBHOOK_ALLOWED_PRIVATE_NETWORKS`` (local testing;
the metadata addresses are refused even then). Every resolved address must
pass, and the request then goes to the checked address itself, so a DNS
answer that changes between check and connect (rebinding) cannot redirect
it. Redirects are never followed.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(value)
    for value in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


class TargetRefused(Exception):
    """The target URL may not be called."""


def _allowed_networks():
    return [
        ipaddress.ip_network(value, strict=False)
        for value in settings.WEBHOOK_ALLOWED_PRIVATE_NETWORKS
    ]


def check_address(address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        raise TargetRefused(f"{ip} is a cloud metadata address")
    if ip.is_global and not ip.is_multicast:
        return
    if any(ip in network for network in _allowed_networks()):
        return
    raise TargetRefused(
        f"{ip} is not a public address (loopback, private, link-local or reserved)"
    )


def split_target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of a target URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused("only http and https URLs are allowed")
    if parts.username or parts.password:
        raise TargetRefused("URLs with credentials are not allowed")
    host = parts.hostname
    if not host:
        raise TargetRefused("the URL has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("the URL's port is not valid") from None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port, path


def resolve(url: str) -> tuple[str, str, int, str, str]:
    """Check ``url`` and return (scheme, host, port, path, address to call)."""
    scheme, host, port, path = split_target(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise TargetRefused(f"cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise TargetRefused(f"{host} has no address")
    for address in addresses:
        check_address(address)
    return scheme, host, port, path, addresses[0]
