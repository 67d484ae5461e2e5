"""The catalog of checks: one entry per spec check id, in spec order.

Each family module (``orgnet.queries.coverage``, ``orgnet.queries.structure``, ...) registers
its checks with :func:`register`.  A check function takes the embedded graph and
the :class:`~graphmodel.schema.Settings` and returns its hits, a list of
``(subject, evidence)`` pairs; the catalog turns hits into
:class:`~queries.finding.Finding` records with :func:`render`.  The Neo4j backend
computes the same hits with ``queries/cypher/<check id>.cypher`` and renders them
with the same :func:`render`.

Examples
--------
>>> CHECK_IDS[0]
'coverage.uncovered_institution'
>>> family_of("referral.leapfrog")
'referral'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel.schema import DEFAULT_SETTINGS, ZH, Settings
from orgnet.queries.finding import Finding

__all__ = [
    "CHECK_IDS", "FAMILIES", "FAMILY_TITLES", "CheckSpec", "CATALOG", "register", "render",
    "render_many",
    "family_of", "select_checks", "Hit", "QueryError", "vocab", "named", "listing",
    "load_checks", "settings_with",
]


class QueryError(OrgnetError):
    """An unknown check id or family name, or a check that cannot run."""

#: Every check id of spec sections 7 and 7b, in the spec's order (the order of findings).
CHECK_IDS = (
    "coverage.uncovered_institution",
    "coverage.empty_org",
    "coverage.unattached_member",
    "structure.branch_too_small",
    "structure.branch_too_large",
    "structure.no_secretary",
    "structure.unit_without_branch",
    "structure.no_branch_committee",
    "structure.joint_branch_too_wide",
    "structure.orphan_org",
    "structure.community_not_unified",
    "referral.no_upward_referral",
    "referral.broken_chain",
    "referral.leapfrog",
    "referral.one_way",
    "service.stage_gap",
    "service.no_coordinator",
    "connectivity.isolated_unit",
    "connectivity.disconnected_component",
    "connectivity.cut_unit",
    "connectivity.bridge_link",
    "connectivity.single_link_unit",
    "connectivity.single_liaison",
    "united_front.uncontacted_representative",
    "united_front.contact_overload",
    "united_front.no_united_front_member",
    "united_front.township_without_station",
    "united_front.station_chain_broken",
)
FAMILIES = ("coverage", "structure", "referral", "service", "connectivity", "united_front")
#: Display names of the families (report sections, xlsx sheets).
FAMILY_TITLES = {
    "coverage": {"en": "Coverage", "zh": "组织覆盖"},
    "structure": {"en": "Structure", "zh": "组织设置"},
    "referral": {"en": "Referral", "zh": "双向转诊"},
    "service": {"en": "Service", "zh": "妇幼服务"},
    "connectivity": {"en": "Connectivity", "zh": "联通联动"},
    "united_front": {"en": "United front", "zh": "统战工作"},
}

#: A hit: (subject ids, evidence dict)
Hit = tuple[tuple[str, ...], dict]
#: A template is a format string per language ({"en": ..., "zh": ...}) formatted
#: with the evidence keys plus ``subject`` and ``subject0``/``subject1``, or a
#: callable (subject, evidence, lang) -> str.
Template = dict[str, str] | Callable[[tuple[str, ...], dict, str], str]


def family_of(check_id: str) -> str:
    """Return the family of a check id (the part before the dot)."""
    return check_id.split(".", 1)[0]


@dataclass(frozen=True)
class CheckSpec:
    """One catalog entry.

    Attributes
    ----------
    id, family, severity : str
    title : dict
        One-line description, ``{"en": ..., "zh": ...}``.
    regulation : str or None
        The rule it rests on, where there is one.
    function : callable
        ``function(G, settings) -> list[Hit]`` on the embedded graph.
    message, suggestion : Template
    """

    id: str
    family: str
    severity: str
    title: dict
    regulation: str | None
    function: Callable[..., list]
    message: Template
    suggestion: Template


CATALOG: dict[str, CheckSpec] = {}


def load_checks() -> dict[str, CheckSpec]:
    """Import every family module so that its checks register; return the catalog.

    Examples
    --------
    >>> load_checks()["structure.orphan_org"].severity
    'low'
    """
    import importlib

    for family in FAMILIES:
        importlib.import_module(f"orgnet.queries.{family}")
    return CATALOG


def register(check_id: str, *, severity: str, title: dict, message: Template,
             suggestion: Template, regulation: str | None = None):
    """Register a check function under its spec id (a decorator).

    Examples
    --------
    The family modules use it like this (``orgnet.queries.structure.orphan_orgs``):

    >>> spec = load_checks()["structure.orphan_org"]
    >>> spec.function.__name__, spec.severity, spec.family
    ('orphan_orgs', 'low', 'structure')
    >>> register("structure.no_such_check", severity="low", title={}, message={},
    ...          suggestion={})
    Traceback (most recent call last):
    ...
    orgnet.queries.catalog.QueryError: unknown check id 'structure.no_such_check'
    """
    if check_id not in CHECK_IDS:
        raise QueryError(f"unknown check id {check_id!r}")

    def decorate(function):
        CATALOG[check_id] = CheckSpec(check_id, family_of(check_id), severity, title,
                                      regulation, function, message, suggestion)
        return function

    return decorate


def _fill(template: Template, subject: tuple[str, ...], evidence: dict, lang: str) -> str:
    if callable(template):
        return template(subject, evidence, lang)
    fields: dict[str, Any] = dict(evidence)
    fields["subject"] = ", ".join(subject)
    for i, value in enumerate(subject):
        fields[f"subject{i}"] = value
    return template[lang].format(**fields)


def _filler(template: Template) -> Callable[[tuple[str, ...], dict, str], str]:
    """Return ``(subject, evidence, lang) -> str`` for a template: a callable as it is
    (no :func:`_fill` and no ``callable`` test per finding), a format dict bound to
    :func:`_fill`."""
    if callable(template):
        return template
    return lambda subject, evidence, lang: _fill(template, subject, evidence, lang)


def render(check_id: str, subject, evidence: dict, lang: str = "en") -> Finding:
    """Turn one hit into a :class:`Finding` (shared by both backends).

    Examples
    --------
    >>> evidence = {"name": "第七支部", "kind": "branch", "candidates": [], "candidate_names": []}
    >>> f = render("structure.no_secretary", ["O7"], evidence, "zh")
    >>> f.subject, f.severity, f.message
    (('O7',), 'medium', '第七支部（O7）没有书记。')
    """
    return render_many(check_id, [(subject, evidence)], lang)[0]


def render_many(check_id: str, hits, lang: str = "en") -> list[Finding]:
    """Turn hits of one check into :class:`Finding` records, in the order given.

    The same as :func:`render` per hit; the check's spec and template functions are
    looked up once for all its hits rather than once per hit (a province has 250,000
    findings: about 10% of the rendering time).

    Examples
    --------
    >>> evidence = {"name": "支部", "kind": "branch", "candidates": [], "candidate_names": []}
    >>> [f.subject for f in render_many("structure.no_secretary", [(("O7",), evidence),
    ...                                                          (["O8"], evidence)])]
    [('O7',), ('O8',)]
    """
    spec = CATALOG[check_id]
    severity = spec.severity
    message, suggestion = _filler(spec.message), _filler(spec.suggestion)
    findings = []
    add = findings.append
    for subject, evidence in hits:
        subject = tuple(subject)
        add(Finding(check_id, severity, subject, message(subject, evidence, lang), evidence,
                    suggestion(subject, evidence, lang)))
    return findings


def select_checks(only=(), skip=()) -> list[str]:
    """Return check ids in spec order, filtered by ids or family names.

    Examples
    --------
    >>> select_checks(only=["service"])
    ['service.stage_gap', 'service.no_coordinator']
    >>> len(select_checks(skip=["connectivity", "united_front", "referral.leapfrog"]))
    16
    """
    def matches(check_id, names):
        return any(n == check_id or n == family_of(check_id) for n in names)

    unknown = [n for n in (*only, *skip) if n not in CHECK_IDS and n not in FAMILIES]
    if unknown:
        raise QueryError(f"unknown check or family: {', '.join(unknown)} "
                         f"(families: {', '.join(FAMILIES)}; see 'orgnet checks')")
    ids = [c for c in CHECK_IDS if not only or matches(c, only)]
    return [c for c in ids if not matches(c, skip)]


# ---------------------------------------------------------------------------
# Helpers for message templates (render from evidence only)
# ---------------------------------------------------------------------------
def vocab(key, lang: str) -> str:
    """Return a vocabulary key for display: its Chinese name in zh, spaced words in en.

    Examples
    --------
    >>> vocab("village_clinic", "en"), vocab("village_clinic", "zh")
    ('village clinic', '村卫生室')
    """
    if key is None:
        return ""
    if lang == "zh":
        return ZH.get(key, str(key))
    return str(key).replace("_", " ")


def named(name, node_id, lang: str) -> str:
    """Return ``name (id)``, with full-width parentheses in zh.

    Examples
    --------
    >>> named("李村卫生室", "V1", "en"), named("李村卫生室", "V1", "zh")
    ('李村卫生室 (V1)', '李村卫生室（V1）')
    """
    if name is None or name == node_id:
        return str(node_id)
    return f"{name}（{node_id}）" if lang == "zh" else f"{name} ({node_id})"


def listing(names, ids, lang: str) -> str:
    """Return ``named`` items joined with ``, `` (en) or ``、`` (zh).

    Examples
    --------
    >>> listing(["甲", "乙"], ["A", "B"], "zh")
    '甲（A）、乙（B）'
    """
    sep = "、" if lang == "zh" else ", "
    return sep.join(named(n, i, lang) for n, i in zip(names, ids))


def settings_with(overrides, base: Settings = DEFAULT_SETTINGS) -> Settings:
    """Return settings with some thresholds replaced (``orgnet check --set NAME=N``).

    Parameters
    ----------
    overrides : iterable of str or mapping
        ``"NAME=N"`` strings, or a ``{name: value}`` mapping; values are
        non-negative integers.

    Raises
    ------
    QueryError
        An unknown name or a value that is not a non-negative integer.

    Examples
    --------
    >>> settings_with(["branch_max_members=40"]).branch_max_members
    40
    >>> settings_with(["branch_size=4"])
    Traceback (most recent call last):
    ...
    orgnet.queries.catalog.QueryError: unknown threshold 'branch_size'; use one of ...
    """
    import dataclasses

    names = [f.name for f in dataclasses.fields(Settings)]
    items = overrides.items() if hasattr(overrides, "items") else (
        str(item).partition("=")[::2] for item in overrides)
    changes = {}
    for name, value in items:
        name = name.strip()
        if name not in names:
            raise QueryError(f"unknown threshold {name!r}; use one of {', '.join(names)}")
        text = str(value).strip()
        if not text.isdigit():
            raise QueryError(f"threshold {name} needs a non-negative integer, not {text!r}")
        changes[name] = int(text)
    return dataclasses.replace(base, **changes)
