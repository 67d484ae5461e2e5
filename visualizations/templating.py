"""The page machinery shared by maps and reports: Jinja2 templates, assets, safe data.

Every page is rendered from a template in ``visualizations/templates`` by one
Jinja2 environment with autoescaping on, so a name or a message from the data
reaches the HTML only escaped.  Data for the page's scripts goes into a
``<script type="application/json">`` element through :func:`json_for_script`
(``<``, ``>`` and ``&`` escaped), or, when it is big, gzip-compressed and
base64-encoded (:func:`packed_json`): the page's script inflates it with the
browser's own ``DecompressionStream``.  Scripts and stylesheets (ours in
``visualizations/assets``, vis-network's from the pyvis package) are inlined: a
page loads nothing from the network.

Examples
--------
>>> "</script>" in json_for_script(["</script>"])
False
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

__all__ = ["render", "json_for_script", "packed_json", "asset", "vis_network_script",
           "PACK_OVER"]

_HERE = Path(__file__).parent
#: data of more bytes than this (as JSON) is gzip-compressed into the page
PACK_OVER = 1_000_000


def json_for_script(value) -> str:
    """Return JSON safe to put inside a ``<script>`` element.

    ``<``, ``>``, ``&`` and the line separators are written as ``\\uXXXX`` escapes,
    so a string holding ``</script>`` cannot end the element.

    Examples
    --------
    >>> json_for_script({"name": "</script><img src=x onerror=alert(1)>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def packed_json(value, *, pack_over: int = PACK_OVER) -> tuple[str, str]:
    """Return ``(script type, text)`` carrying ``value`` in a ``<script>`` element.

    Small values are JSON (``application/json``); above ``pack_over`` bytes the JSON
    is gzip-compressed (fixed timestamp: the same value gives the same text) and
    base64-encoded (``application/x-orgnet-gzip-base64``), which holds no ``<``.

    Examples
    --------
    >>> packed_json({"a": 1})
    ('application/json', '{"a":1}')
    >>> kind, text = packed_json({"a": "x" * 50}, pack_over=10)
    >>> kind, json.loads(gzip.decompress(base64.b64decode(text)))["a"][:3]
    ('application/x-orgnet-gzip-base64', 'xxx')
    """
    text = json_for_script(value)
    if len(text.encode("utf-8")) <= pack_over:
        return "application/json", text
    raw = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    return "application/x-orgnet-gzip-base64", base64.b64encode(raw).decode("ascii")


@lru_cache(maxsize=None)
def asset(name: str) -> Markup:
    """Return one of our scripts or stylesheets (``visualizations/assets``) for inlining.

    Examples
    --------
    >>> "createMap" in asset("map.js")
    True
    """
    text = (_HERE / "assets" / name).read_text(encoding="utf-8")
    _check_inlinable(text, name)
    return Markup(text)


@lru_cache(maxsize=None)
def vis_network_script() -> Markup:
    """Return the vis-network script bundled with pyvis, read from disk, for inlining.

    Examples
    --------
    >>> "sourceMappingURL" in vis_network_script(), len(vis_network_script()) > 100_000
    (False, True)
    """
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    script = re.sub(r"//# sourceMappingURL=\S*", "", path.read_text(encoding="utf-8"))
    _check_inlinable(script, path.name)
    return Markup(script)


def _check_inlinable(text: str, name: str) -> None:
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
        raise RuntimeError(f"{name} cannot be inlined safely")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["script_json"] = lambda value: Markup(json_for_script(value))
    env.globals["asset"] = asset
    env.globals["vis_network_script"] = vis_network_script
    return env


def render(template: str, **context) -> str:
    """Render one template of ``visualizations/templates`` (autoescaped).

    Examples
    --------
    >>> page = render("_legend.html.j2")        # a file of macros renders to nothing
    >>> page.strip()
    ''
    """
    return _environment().get_template(template).render(**context)
