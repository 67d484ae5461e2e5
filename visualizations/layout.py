"""Positions of a view's nodes: nested rings of the ``parent`` tree, a layered tree
for hierarchical views, then label boxes pulled apart.

Positions are computed here (not by vis-network's physics), so a map of 3,000
nodes is settled as soon as it is drawn and two runs give the same picture.

Examples
--------
>>> from orgnet.visualizations.views import View, ViewNode
>>> v = View("units", nodes={n: ViewNode(n, "Institution", n) for n in "abc"},
...          parent={"b": "a", "c": "a"})
>>> sorted(positions(v))
['a', 'b', 'c']
"""

from __future__ import annotations

import math
from collections import defaultdict

from orgnet.visualizations import encoding as enc
from orgnet.visualizations.views import View

__all__ = ["positions", "label_boxes", "node_label", "LABEL_FONT"]


def node_label(item, lang) -> str:
    """Return the text drawn by a node: its name, cut at 24 characters (the tooltip has it all)."""
    name = item.name if len(item.name) <= 24 else item.name[:23] + "…"
    extra = []
    if item.merged.get("villages"):
        extra.append(enc.text("agg.note_villages", lang, n=item.merged["villages"]))
    if item.merged.get("members"):
        extra.append(enc.text("agg.note_members", lang, n=item.merged["members"]))
    return f"{name}\n({', '.join(extra)})" if extra else name


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------
_LEAF = 45.0       # radius a leaf needs (with its label)
_GAP = 30.0
_SPIRAL_START = 90.0
_SPIRAL_STEP = 55.0


def positions(view: View, *, rows: bool = False) -> dict[str, tuple[float, float]]:
    """Return precomputed ``{node: (x, y)}`` positions of a view.

    The ``parent`` tree of the view is drawn as nested rings (a unit in the middle,
    the units below it around it, and so on); a hierarchical view is drawn as a
    layered tree, top down.  Three or more trees are set on a wheel around the
    units that head no tree; fewer (or any number with ``rows=True``) are packed in
    rows, biggest first.

    Examples
    --------
    >>> from orgnet.visualizations.views import View, ViewNode
    >>> v = View("units", nodes={n: ViewNode(n, "Institution", n) for n in "abc"},
    ...          parent={"b": "a", "c": "a"})
    >>> p = positions(v)
    >>> sorted(p) == ["a", "b", "c"] and p["b"] != p["c"]
    True
    """
    children, roots = _forest(view)
    boxes = {node: _label_box(item) for node, item in view.nodes.items()}
    if view.hierarchical:
        pos = _layered(view, children, roots, boxes)
    else:
        pos = _radial(children, roots, boxes, wheel=not rows)
    if len(pos) <= _SEPARATE_LIMIT:
        pos = _separate(pos, boxes)
    return pos


#: label font size of the map's nodes (the "nodes.font.size" option)
LABEL_FONT = 14
#: radius kept free around a node's centre (the biggest drawn node is 28)
_NODE_RADIUS = 20.0
#: views with at most this many nodes get their label boxes pulled apart
_SEPARATE_LIMIT = 2000


def _label_box(item) -> tuple[float, float]:
    """``(half width, height below the centre)`` of a node and its label, in pixels."""
    lines = [line for lang in ("en", "zh") for line in node_label(item, lang).split("\n")]
    width = max(enc.text_width(line, LABEL_FONT) for line in lines)
    count = max(len(node_label(item, lang).split("\n")) for lang in ("en", "zh"))
    return max(width / 2, _NODE_RADIUS), _NODE_RADIUS + 4 + 17 * count


def label_boxes(view: View, pos) -> dict[str, tuple[float, float, float, float]]:
    """Return each node's estimated ``(left, top, right, bottom)`` box: the node and its
    label drawn below it (widths by :func:`orgnet.visualizations.encoding.text_width`).

    Examples
    --------
    >>> from orgnet.visualizations.views import View, ViewNode
    >>> v = View("units", nodes={"a": ViewNode("a", "Institution", "卫健局")})
    >>> label_boxes(v, {"a": (0.0, 0.0)})["a"]
    (-22.0, -20.0, 22.0, 41.0)
    """
    out = {}
    for node, item in view.nodes.items():
        half, below = _label_box(item)
        x, y = pos[node]
        out[node] = (x - half - 1, y - _NODE_RADIUS, x + half + 1, y + below)
    return out


def _separate(pos, boxes, rounds: int = 80) -> dict:
    """Push apart nodes whose boxes (node and label) overlap, deterministically.

    Each round finds the overlapping pairs (a grid of buckets keeps it near linear)
    and moves both nodes of a pair half the overlap apart along the axis where the
    overlap is smaller; the moves of a round are summed, then applied.
    """
    pos = {n: (float(x), float(y)) for n, (x, y) in pos.items()}
    if not pos:
        return pos
    order = sorted(pos)
    cell = max(max(2 * h for h, _ in boxes.values()), max(b + _NODE_RADIUS
                                                          for _, b in boxes.values()))
    margin = 6.0
    for _ in range(rounds):
        rect = {}
        grid = defaultdict(list)
        for n in order:
            x, y = pos[n]
            half, below = boxes[n]
            rect[n] = (x - half - margin / 2, y - _NODE_RADIUS, x + half + margin / 2, y + below)
            grid[(math.floor(x / cell), math.floor(y / cell))].append(n)
        moves = defaultdict(lambda: [0.0, 0.0])
        found = False
        for index, n in enumerate(order):
            gx, gy = math.floor(pos[n][0] / cell), math.floor(pos[n][1] / cell)
            a = rect[n]
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for m in grid.get((gx + dx, gy + dy), ()):
                        if m <= n:
                            continue
                        b = rect[m]
                        ox = min(a[2], b[2]) - max(a[0], b[0])
                        oy = min(a[3], b[3]) - max(a[1], b[1])
                        if ox <= 0 or oy <= 0:
                            continue
                        found = True
                        if ox <= oy:
                            sign = 1.0 if (pos[m][0], m) > (pos[n][0], n) else -1.0
                            moves[m][0] += sign * (ox / 2 + 0.5)
                            moves[n][0] -= sign * (ox / 2 + 0.5)
                        else:
                            sign = 1.0 if (pos[m][1], m) > (pos[n][1], n) else -1.0
                            moves[m][1] += sign * (oy / 2 + 0.5)
                            moves[n][1] -= sign * (oy / 2 + 0.5)
        if not found:
            break
        for n, (mx, my) in moves.items():
            pos[n] = (pos[n][0] + mx, pos[n][1] + my)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def _forest(view: View):
    children: dict[str, list[str]] = defaultdict(list)
    for node in view.nodes:
        parent = view.parent.get(node)
        if parent in view.nodes and parent != node:
            children[parent].append(node)
    roots = [n for n in view.nodes if view.parent.get(n) not in view.nodes]
    # nodes on a cycle of parents (not expected) become roots too
    reached = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in reached:
            continue
        reached.add(node)
        stack.extend(children.get(node, ()))
    for node in view.nodes:
        if node not in reached:
            roots.append(node)
            reached.add(node)
            stack = list(children.get(node, ()))
            while stack:
                child = stack.pop()
                if child not in reached:
                    reached.add(child)
                    stack.extend(children.get(child, ()))
    for node in list(children):
        children[node] = [c for c in children[node] if c not in roots]
    return children, roots


def _post_order(children, roots) -> list[str]:
    order, stack, seen = [], [(r, False) for r in roots], set()
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((c, False) for c in children.get(node, ()))
    return order


def _radial(children, roots, boxes, *, wheel: bool = True) -> dict:
    extent: dict[str, float] = {}
    plan: dict[str, tuple] = {}
    for node in _post_order(children, roots):
        kids = children.get(node, [])
        leaves = [c for c in kids if not children.get(c)]
        inner = [c for c in kids if children.get(c)]
        spiral = 0.0
        if leaves:
            spiral = _SPIRAL_START + _SPIRAL_STEP * math.sqrt(len(leaves))
        ring = 0.0
        if inner:
            need = sum(2 * extent[c] + _GAP for c in inner) / (2 * math.pi)
            ring = max(need, spiral + max(extent[c] for c in inner) + _GAP, 200.0)
        plan[node] = (leaves, inner, spiral, ring)
        extent[node] = max(_LEAF, spiral + _LEAF, ring + max((extent[c] for c in inner),
                                                             default=0.0))
    pos: dict[str, tuple[float, float]] = {}

    def place(root, x0, y0):
        stack = [(root, x0, y0)]
        while stack:
            node, x, y = stack.pop()
            pos[node] = (round(x, 1), round(y, 1))
            leaves, inner, spiral, ring = plan[node]
            golden = math.pi * (3 - math.sqrt(5))
            for k, leaf in enumerate(leaves):
                r = _SPIRAL_START + _SPIRAL_STEP * math.sqrt(k)
                # the first leaf above its parent, clear of the parent's label below it
                a = k * golden - math.pi / 2
                stack.append((leaf, x + r * math.cos(a), y + r * math.sin(a)))
            if inner:
                total = sum(2 * extent[c] + _GAP for c in inner)
                angle = -math.pi / 2
                for child in inner:
                    share = (2 * extent[child] + _GAP) / total * 2 * math.pi
                    a = angle + share / 2
                    stack.append((child, x + ring * math.cos(a), y + ring * math.sin(a)))
                    angle += share

    ordered = sorted(roots, key=lambda r: (-extent[r], r))
    trees = [r for r in ordered if plan[r][0] or plan[r][1]]
    loose = [r for r in ordered if not (plan[r][0] or plan[r][1])]
    if wheel and len(trees) >= 3:
        # a wheel: the trees (medical communities) on a ring, the loose units (city
        # hospitals, bureaus: the hubs they refer to) in a grid in the middle
        side = math.ceil(math.sqrt(len(loose))) if loose else 0
        cell_h = 2 * _LEAF + _GAP
        # wide enough for the widest label of the loose units
        cell_w = max([cell_h] + [2 * boxes[r][0] + _GAP for r in loose])
        cell = max(cell_w, cell_h)
        for i, root in enumerate(loose):
            place(root, (i % side - (side - 1) / 2) * cell_w,
                  (i // side - (side - 1) / 2) * cell_h)
        total = sum(2 * extent[r] + _GAP for r in trees)
        # each tree's disc must fit in its sector: (extent) / sin(half its angle)
        fit = max((extent[r] + _GAP / 2) / math.sin(min(math.pi / 2, (2 * extent[r] + _GAP)
                                                         / total * math.pi)) for r in trees)
        ring = max(total / (2 * math.pi), fit,
                   side * cell * 0.75 + max(extent[r] for r in trees) + _GAP)
        angle = -math.pi / 2
        for root in trees:
            share = (2 * extent[root] + _GAP) / total * 2 * math.pi
            a = angle + share / 2
            place(root, ring * math.cos(a), ring * math.sin(a))
            angle += share
        return pos
    area = sum((2 * extent[r] + _GAP) ** 2 for r in ordered)
    row_width = max(math.sqrt(area) * 1.3, 2 * extent[ordered[0]] + _GAP) if ordered else 0
    x = y = 0.0
    row_height = 0.0
    for root in ordered:
        size = 2 * extent[root] + _GAP
        # a unit heading no tree takes the width of its label
        size_x = max(size, 2 * boxes[root][0] + _GAP)
        if x > 0 and x + size_x > row_width:
            x = 0.0
            y += row_height
            row_height = 0.0
        place(root, x + size_x / 2, y + size / 2)
        x += size_x
        row_height = max(row_height, size)
    return pos


def _layered(view: View, children, roots, boxes) -> dict:
    """Top-down tree: depth gives y, leaves get consecutive slots, parents sit over children."""
    xs: dict[str, float] = {}
    depth: dict[str, int] = {}
    tree_roots = [r for r in roots if children.get(r)]
    loose = [r for r in roots if not children.get(r)]
    slot = 0.0
    step = 130.0
    last = 0.0
    for root in tree_roots:
        stack = [(root, 0)]
        while stack:
            node, d = stack.pop()
            depth[node] = d
            stack.extend((c, d + 1) for c in reversed(children.get(node, [])))
        for node in _post_order_ltr(children, root):
            kids = children.get(node, [])
            if kids:
                xs[node] = (xs[kids[0]] + xs[kids[-1]]) / 2
            else:
                # consecutive leaves: far enough apart for both labels
                if last:
                    slot += max(step, last + boxes[node][0] + _GAP / 2)
                xs[node] = slot
                last = boxes[node][0]
        slot += step
    bottom = max(depth.values(), default=-1) + 1
    pos = {n: (round(xs[n], 1), depth[n] * 170.0) for n in xs}
    per_row = max(10, int(math.sqrt(len(loose)) * 2) or 1)
    width = max(slot, per_row * step)
    per_row = max(per_row, int(width // step))
    loose_step = max([step] + [2 * boxes[n][0] + _GAP / 2 for n in loose])
    per_row = max(1, min(per_row, int(width // loose_step) or 1))
    for i, node in enumerate(loose):
        pos[node] = (round((i % per_row) * loose_step, 1), (bottom + i // per_row) * 170.0)
    return pos


def _post_order_ltr(children, root) -> list[str]:
    order, stack = [], [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children.get(node, [])))
    return order
