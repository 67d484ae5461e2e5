"""Stable pseudonyms for member names (``--redact``).

A member's name is replaced by a pseudonym made from a keyed hash (HMAC-SHA256)
of the member's id: the same id gives the same pseudonym in every map and report
of the same key, so shared pages can still be compared, and nobody without the
key can recompute them from a list of ids.  The key comes from the environment
variable ``ORGNET_REDACT_KEY``; without it a fixed default key is used (stable,
but anyone with orgnet can recompute a pseudonym from an id).

Everything a member row carries besides its label, status, roles, org and
workplace is dropped (extra columns may hold phone numbers or ID numbers); member
ids become the pseudonyms; names and ids are replaced in every text too (finding
messages, suggestions and evidence, org and institution names, notes), by one
:class:`Redactor` per run that makes one pass over each text.

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

import hmac
import os
import re

import networkx as nx

from orgnet.graphmodel.embedded import nodes_with_label
from orgnet.graphmodel.schema import MEMBER, STATUSES_WITH_ORG

__all__ = ["Redactor", "pseudonym", "pseudonyms", "redact_graph", "redact_findings",
           "redacted_view",
           "redact_text", "DEFAULT_KEY", "KEY_VARIABLE"]

KEY_VARIABLE = "ORGNET_REDACT_KEY"
DEFAULT_KEY = b"orgnet-redact-v1"
#: what a redacted member node keeps: what the checks read (affiliation is a party
#: name such as 民盟 or 无党派, not a person's)
_KEPT_MEMBER_FIELDS = {"label", "status", "roles", "org_id", "institution_id", "affiliation", "row"}
#: attributes that hold vocabulary values, numbers or ids of regions, institutions and
#: party orgs only: never a member's name or id, so not scanned
_PLAIN = frozenset({"label", "kind", "level", "status", "type", "link_type", "period", "count",
                    "row", "region_id", "parent_id", "institution_ids", "org_id",
                    "institution_id", "coordinator_org_id", "roles", "stage", "key",
                    "link_index"})
_PREFIX = {"en": ("Member", "Person"), "zh": ("党员", "人员")}


def _key(key: bytes | None) -> bytes:
    if key is not None:
        return key
    env = os.environ.get(KEY_VARIABLE)
    return env.encode("utf-8") if env else DEFAULT_KEY


def _digest(member_id: str, key: bytes) -> str:
    # hmac.digest is OpenSSL's one-shot HMAC: one C call per id
    return hmac.digest(key, str(member_id).encode("utf-8"), "sha256").hex().upper()


def pseudonym(member_id: str, *, lang: str = "en", key: bytes | None = None,
              status: str | None = None, length: int = 4) -> str:
    """Return the pseudonym of one member id.

    Party members and activists are ``党员-XXXX`` / ``Member-XXXX``; other people
    ``人员-XXXX`` / ``Person-XXXX``.
    """
    return f"{_prefix(status, lang)}-{_digest(member_id, _key(key))[:length]}"


def _prefix(status: str | None, lang: str) -> str:
    """``党员``/``Member`` for party members and activists, ``人员``/``Person`` otherwise."""
    party, other = _PREFIX.get(lang, _PREFIX["en"])
    return party if status is None or status in STATUSES_WITH_ORG else other


def pseudonyms(G: nx.MultiDiGraph, *, lang: str = "en", key: bytes | None = None) -> dict:
    """Return ``{member id: pseudonym}`` for every member of a graph.

    The hash is cut to 4 hex digits, or more when 4 would give two members the
    same pseudonym, so pseudonyms are unique within a dataset.  Each id is hashed
    once.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label=MEMBER, name="王伟", status="full")
    >>> pseudonyms(G, key=b"k")
    {'M1': 'Member-B635'}
    """
    secret = _key(key)
    members = [(m, _digest(m, secret), _prefix(d.get("status"), lang))
               for m, d in nodes_with_label(G, MEMBER)]
    length = 4
    while True:
        codes = {digest[:length] for _, digest, _ in members}
        if len(codes) == len(members) or length >= 64:
            return {m: f"{prefix}-{digest[:length]}" for m, digest, prefix in members}
        length += 2


class Redactor(dict):
    """Everything one run needs to redact: a pseudonym per member id and one pattern.

    The mapping itself is ``{real name: pseudonym}`` (a name shared by several
    members maps to their pseudonyms joined with ``/`` unless the context of a
    text says which member is meant); :attr:`aliases` is ``{member id: pseudonym}``.
    Every text goes through :meth:`text`: one scan with one compiled pattern for
    the places a name or an id token can start, then a set lookup per candidate
    length (longest first), so the cost grows with the length of the texts, not
    with the number of members times the number of texts.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph()
    >>> G.add_node("M1", label=MEMBER, name="王伟", status="full")
    >>> G.add_node("M2", label=MEMBER, name="王伟华", status="full")
    >>> r = Redactor(G, key=b"k")
    >>> r.text("王伟华 and 王伟 (M1) at 王伟诊所; M10 is not M1")
    'Member-36EB and Member-B635 (Member-B635) at Member-B635诊所; M10 is not Member-B635'
    """

    def __init__(self, G: nx.MultiDiGraph | None = None, *, lang: str = "en",
                 key: bytes | None = None, names: dict | None = None):
        super().__init__()
        self.aliases: dict[str, str] = {}
        self._owners: dict[str, list[str]] = {}
        if G is not None:
            self.aliases = pseudonyms(G, lang=lang, key=key)
            for member in self.aliases:
                real = G.nodes[member].get("name")
                if real is not None and str(real).strip():
                    self._owners.setdefault(str(real), []).append(member)
            for real, owners in self._owners.items():
                self[real] = "/".join(self.aliases[m] for m in sorted(owners))
        if names:
            for real, alias in names.items():
                self.setdefault(str(real), alias)
        # ids made of letters, digits, _ and - are matched as whole tokens; everything
        # else (names, other ids) as text anywhere, longest first
        self._tokens = {m for m in self.aliases if _TOKEN.fullmatch(m)}
        words = {w for w in self if w} | {m for m in self.aliases if m not in self._tokens}
        self._words = words
        self._lengths = sorted({len(w) for w in words}, reverse=True)
        self._starts = frozenset(w[0] for w in words)
        self._plain_tokens = not any(_TOKEN.fullmatch(c) for c in self._starts)
        # an ASCII run is one candidate (an id token, or where an ASCII name may start);
        # any other character that starts a name is one candidate
        others = "".join(sorted(re.escape(c) for c in self._starts if not _TOKEN.fullmatch(c)))
        parts = [f"(?P<t>{_TOKEN.pattern})"] + ([f"[{others}]"] if others else [])
        self._pattern = re.compile("|".join(parts)) if (self._starts or self._tokens) else None

    def alias_of(self, word: str, context=()) -> str | None:
        """The pseudonym for a matched name or id (a shared name resolved by ``context``)."""
        alias = self.aliases.get(word)
        if alias is not None:
            return alias
        owners = self._owners.get(word)
        if owners and len(owners) > 1 and context:
            if callable(context):   # computed only when a shared name is met
                context = context()
            meant = [m for m in owners if m in context]
            if len(meant) == 1:
                return self.aliases[meant[0]]
        return dict.get(self, word)

    def text(self, value, context=()):
        """Return ``value`` with every member name and id replaced (one pass); non-text as is.

        One scan with one compiled pattern finds the places a name can start (its
        first character) and the id tokens; at each place the longest name that
        starts there is looked up in a set (a hash per candidate length), so the
        cost does not grow with the number of members.
        """
        if not isinstance(value, str) or self._pattern is None or not value:
            return value
        alias = self.aliases.get(value)
        if alias is not None:                 # a whole id (the common evidence value)
            return alias
        if self._plain_tokens and _TOKEN.fullmatch(value):
            return value                      # one token that is no id, and no name starts it
        pieces = []
        done = 0
        words, lengths, tokens, starts = self._words, self._lengths, self._tokens, self._starts
        for match in self._pattern.finditer(value):
            start = match.start()
            if start < done:
                continue
            found = None
            token = match.group("t")
            if token is not None and token in tokens:
                found = token
            elif value[start] in starts:
                for length in lengths:
                    candidate = value[start:start + length]
                    if len(candidate) == length and candidate in words:
                        found = candidate
                        break
            if found is None:
                continue
            alias = self.alias_of(found, context)
            if alias is None:
                continue
            pieces.append(value[done:start])
            pieces.append(alias)
            done = start + len(found)
        if not pieces:
            return value
        pieces.append(value[done:])
        return "".join(pieces)

    def value(self, value, context=()):
        """Redact strings anywhere inside dicts, lists and tuples (keys too)."""
        if isinstance(value, str):
            return self.text(value, context)
        if isinstance(value, dict):
            return {self.text(k, context): self.value(v, context) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.value(v, context) for v in value)
        return value

    def context_of(self, *values) -> frozenset:
        """The member ids named anywhere in some values (what a finding is about)."""
        found = set()
        stack = list(values)
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if item in self.aliases:
                    found.add(item)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, (list, tuple, set, frozenset)):
                stack.extend(item)
        return frozenset(found)

    def graph(self, G: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """Return a copy of G: member nodes renamed to their pseudonyms and stripped to
        status, roles, org, workplace and row; every text attribute of every node and
        edge (names of orgs and institutions, notes ...) redacted."""
        H = nx.MultiDiGraph()
        H.graph.update({k: (v if k == "services" else self.value(v)) for k, v in G.graph.items()})
        aliases = self.aliases
        text = self.text
        nodes = []
        for node, data in G.nodes(data=True):
            if node in aliases:
                kept = {a: data[a] for a in data if a in _KEPT_MEMBER_FIELDS}
                kept["name"] = aliases[node]
                nodes.append((aliases[node], kept))
            else:
                nodes.append((node, {a: v if a in _PLAIN or v is None
                                     else text(v) if isinstance(v, str) else self.value(v)
                                     for a, v in data.items()}))
        H.add_nodes_from(nodes)
        edges = []
        for u, v, k, data in G.edges(keys=True, data=True):
            edges.append((aliases.get(u, u), aliases.get(v, v), k,
                          {a: x if a in _PLAIN or not isinstance(x, str) else text(x, (u, v))
                           for a, x in data.items()}))
        H.add_edges_from(edges)
        return H

    def findings(self, findings) -> list:
        """Return findings with member ids and names replaced in subject, message,
        suggestion and evidence (a shared name resolved by the ids the finding names)."""
        from dataclasses import replace

        out = []
        for f in findings:
            context = _Lazy(self.context_of, f.subject, f.evidence)
            out.append(replace(
                f, subject=tuple(self.aliases.get(s, s) for s in f.subject),
                message=self.text(f.message, context),
                suggestion=self.text(f.suggestion, context),
                evidence=self.value(f.evidence, context)))
        return out

    def lines(self, lines) -> list:
        """Return planner lines (:class:`orgnet.queries.planner.Line`) redacted like
        their findings: subject, name, message, suggestion, region and responsible org."""
        from dataclasses import replace

        out = []
        for line in lines:
            context = _Lazy(self.context_of, line.subject,
                            [(f.subject, f.evidence) for f in line.findings])
            out.append(replace(
                line, subject=tuple(self.aliases.get(s, s) for s in line.subject),
                name=self.text(line.name, context), message=self.text(line.message, context),
                suggestion=self.text(line.suggestion, context),
                region=self.text(line.region, context),
                responsible=self.text(line.responsible, context),
                findings=tuple(self.findings(line.findings)),
                region_key=self.value(line.region_key, context)))
        return out

    def report(self, report):
        """Return a ``orgnet.queries.runner.Report`` with its summary, findings and
        planner lines (when arranged) redacted.

        Arrange first (``report.arranged(G)`` on the real graph), then redact: the
        lines are redacted like the findings, no redacted copy of the graph is needed.
        """
        from dataclasses import replace

        return replace(report, summary=self.value(report.summary),
                       findings=self.findings(report.findings),
                       lines=None if report.lines is None else self.lines(report.lines))


class _Lazy:
    """A value computed on first call, then remembered (a finding's member ids)."""

    __slots__ = ("_make", "_args", "_value")

    def __init__(self, make, *args):
        self._make, self._args, self._value = make, args, None

    def __call__(self):
        if self._value is None:
            self._value = self._make(*self._args)
        return self._value

    def __bool__(self):
        return True


#: an id that can be looked up as a whole token (ASCII letters, digits, _ and -)
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")


def redact_graph(G: nx.MultiDiGraph, *, lang: str = "en", key: bytes | None = None):
    """Return ``(redacted copy of G, Redactor)``; the Redactor maps real names to pseudonyms.

    Member nodes are renamed to their pseudonyms (ids are personal data too) and
    keep only status, roles, org, workplace and row; names of members inside
    other texts (org and institution names, notes) are replaced.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label=MEMBER, name="王伟", status="full", phone="139")
    >>> H, names = redact_graph(G, lang="zh", key=b"k")
    >>> dict(H.nodes(data=True)), dict(names)
    ({'党员-B635': {'label': 'Member', 'status': 'full', 'name': '党员-B635'}}, {'王伟': '党员-B635'})
    >>> G.nodes["M1"]["name"]
    '王伟'
    """
    redactor = Redactor(G, lang=lang, key=key)
    return redactor.graph(G), redactor


def redacted_view(G: nx.MultiDiGraph, findings, *, lang: str = "en"):
    """Return ``(redacted G, redacted findings, Redactor)``: what a map or report shows.

    The one preamble of every HTML output made with ``--redact`` (maps, the report,
    the resilience map): the graph and the findings redacted with the same
    pseudonyms; the caller adds the "redacted" note in its own words.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label=MEMBER, name="王伟", status="full")
    >>> H, findings, names = redacted_view(G, [], lang="zh")
    >>> list(H.nodes) == [names["王伟"]], findings
    (True, [])
    """
    H, names = redact_graph(G, lang=lang)
    return H, redact_findings(findings, names), names


def redact_text(value: str, names: dict[str, str]) -> str:
    """Replace every real name in a string by its pseudonym (longest names first, one pass).

    Examples
    --------
    >>> redact_text("王伟 and 王伟华", {"王伟": "A", "王伟华": "B"})
    'A and B'
    """
    if not names or not isinstance(value, str):
        return value
    redactor = names if isinstance(names, Redactor) else Redactor(names=names)
    return redactor.text(value)


def redact_findings(findings, names: dict[str, str]) -> list:
    """Return the findings with real names (and, for a Redactor, member ids) replaced."""
    redactor = names if isinstance(names, Redactor) else Redactor(names=names)
    return redactor.findings(findings)


def redact_output(content, G: nx.MultiDiGraph, *, lang: str = "en", key: bytes | None = None):
    """Return a rendered output with every member name and id of ``G`` replaced.

    ``content`` is text (table, JSON, CSV, Markdown: one pass of
    :meth:`Redactor.text` over the whole text) or the bytes of an XLSX workbook
    (every text cell redacted; numbers, styles and text marks kept).  For outputs
    that are rendered from several objects (what-if, resilience, a plan) this is
    the one place where redaction happens, after rendering, so nothing escapes it.
    A name two members share becomes both pseudonyms joined with ``/``.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> G = new_graph(); G.add_node("M1", label=MEMBER, name="王伟", status="full")
    >>> redact_output('{"subject": ["M1"], "message": "王伟 is secretary"}', G, key=b"k")
    '{"subject": ["Member-B635"], "message": "Member-B635 is secretary"}'
    """
    redactor = Redactor(G, lang=lang, key=key)
    if isinstance(content, str):
        return redactor.text(content)
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "s":
                    redacted = redactor.text(cell.value)
                    if redacted != cell.value:
                        cell._value = redacted   # stays a text cell (never a formula)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()