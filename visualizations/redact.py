"""Stable pseudonyms for member names (``--redact``).

A member's name is replaced by a pseudonym made from a keyed hash (HMAC-SHA256)
of the member's id: the same id gives the same pseudonym in every map and report
of the same key, so shared pages can still be compared, and nobody without the
key can recompute them from a list of ids.  The key comes from the environment
variable ``ORGNET_REDACT_KEY``; without it a fixed default key is used (stable,
but anyone with orgnet can recompute a pseudonym from an id).

Everything a member row carries besides its id, label, status, roles, org and
workplace is dropped (extra columns may hold phone numbers or ID numbers), and
the names are replaced in finding messages, suggestions and evidence too.

Examples
--------
>>> pseudonym("M1", lang="zh", key=b"k")
'党员-B635'
>>> pseudonym("M1", lang="zh", key=b"k") == pseudonym("M1", lang="zh", key=b"k")
True
>>> pseudonym("M1", lang="en", key=b"k", status="non_party")
'Person-B635'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

import networkx as nx

from orgnet.graphmodel.embedded import nodes_with_label
from orgnet.graphmodel.schema import MEMBER, STATUSES_WITH_ORG

__all__ = ["pseudonym", "pseudonyms", "redact_graph", "redact_findings", "redact_text",
           "DEFAULT_KEY", "KEY_VARIABLE"]

KEY_VARIABLE = "ORGNET_REDACT_KEY"
DEFAULT_KEY = b"orgnet-redact-v1"
_KEPT_MEMBER_FIELDS = {"label", "status", "roles", "org_id", "institution_id", "row"}
_PREFIX = {"en": ("Member", "Person"), "zh": ("党员", "人员")}


def _key(key: bytes | None) -> bytes:
    if key is not None:
        return key
    env = os.environ.get(KEY_VARIABLE)
    return env.encode("utf-8") if env else DEFAULT_KEY


def _digest(member_id: str, key: bytes) -> str:
    return hmac.new(key, str(member_id).encode("utf-8"), hashlib.sha256).hexdigest().upper()


def pseudonym(member_id: str, *, lang: str = "en", key: bytes | None = None,
              status: str | None = None, length: int = 4) -> str:
    """Return the pseudonym of one member id.

    Party members and activists are ``党员-XXXX`` / ``Member-XXXX``; other people
    ``人员-XXXX`` / ``Person-XXXX``.
    """
    party, other = _PREFIX.get(lang, _PREFIX["en"])
    prefix = party if status is None or status in STATUSES_WITH_ORG else other
    return f"{prefix}-{_digest(member_id, _key(key))[:length]}"


def pseudonyms(G: nx.MultiDiGraph, *, lang: str = "en", key: bytes | None = None) -> dict:
    """Return ``{member id: pseudonym}`` for every member of a graph.

    The hash is cut to 4 hex digits, or more when 4 would give two members the
    same pseudonym, so pseudonyms are unique within a dataset.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label=MEMBER, name="王伟", status="full")
    >>> pseudonyms(G, key=b"k")
    {'M1': 'Member-B635'}
    """
    members = list(nodes_with_label(G, MEMBER))
    length = 4
    while True:
        names = {m: pseudonym(m, lang=lang, key=key, status=d.get("status"), length=length)
                 for m, d in members}
        if len(set(names.values())) == len(names) or length >= 64:
            return names
        length += 2


def redact_graph(G: nx.MultiDiGraph, *, lang: str = "en", key: bytes | None = None):
    """Return ``(copy of G with member names replaced, {real name: pseudonym})``.

    Member attributes other than status, roles, org, workplace and row are dropped.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label=MEMBER, name="王伟", status="full", phone="139")
    >>> H, names = redact_graph(G, lang="zh", key=b"k")
    >>> H.nodes["M1"], names
    ({'label': 'Member', 'status': 'full', 'name': '党员-B635'}, {'王伟': '党员-B635'})
    >>> G.nodes["M1"]["name"]
    '王伟'
    """
    H = G.copy()
    mapping = pseudonyms(G, lang=lang, key=key)
    names: dict[str, str] = {}
    for member, alias in mapping.items():
        data = H.nodes[member]
        real = data.get("name")
        if real:
            names[str(real)] = alias
        for attr in [a for a in data if a not in _KEPT_MEMBER_FIELDS]:
            del data[attr]
        data["name"] = alias
    return H, names


def redact_text(value: str, names: dict[str, str]) -> str:
    """Replace every real name in a string by its pseudonym (longest names first).

    Examples
    --------
    >>> redact_text("王伟 and 王伟华", {"王伟": "A", "王伟华": "B"})
    'A and B'
    """
    if not names or not isinstance(value, str):
        return value
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda match: names[match.group(0)], value)


def redact_findings(findings, names: dict[str, str]) -> list:
    """Return the findings with real names replaced in message, suggestion and evidence."""
    from dataclasses import replace

    return [replace(f, message=redact_text(f.message, names),
                    suggestion=redact_text(f.suggestion, names),
                    evidence=_redact_value(f.evidence, names))
            for f in findings]


def _redact_value(value, names):
    if isinstance(value, str):
        return redact_text(value, names)
    if isinstance(value, dict):
        return {k: _redact_value(v, names) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(v, names) for v in value)
    return value
