"""The client's real address. Behind a TLS proxy every request comes from the proxy, so the
address is read from `X-Forwarded-For`, but only through the configured number of trusted
proxies (`TRUSTED_PROXY_COUNT`): each trusted proxy appends the address it received the request
from, so the client is the entry that many places from the right. Anything a client writes
further left is its own claim and is ignored. With no trusted proxy, REMOTE_ADDR is the client.
When `TRUSTED_PROXY_NETWORKS` lists the proxies' addresses, a request that did not come from
one of them is taken at its REMOTE_ADDR, whatever `X-Forwarded-For` it carries.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _from_trusted_proxy(remote: str) -> bool:
    networks = getattr(settings, "TRUSTED_PROXY_NETWORKS", ())
    if not networks:
        return True
    address = ipaddress.ip_address(remote)
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent `request`, as trusted as the deployment allows."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0 or remote is None or not _from_trusted_proxy(remote):
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote
