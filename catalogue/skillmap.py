"""The skill map: the prerequisite graph laid out in stages and drawn as SVG, with a text alternative.

A skill's stage is its place in the prerequisite order: stage 1 holds the skills that need nothing,
stage *k* the skills whose prerequisites all sit in earlier stages, at least one in stage *k - 1*
(networkx's ``topological_generations``). So every prerequisite is drawn to the left of the skills
that need it. Within a stage, skills are grouped by category (in catalogue order), and inside a
category ordered by the barycentre of their prerequisites' rows (the mean height of what they
need), which pulls a skill level with its prerequisites and cuts edge crossings; ties go by name.

:func:`layout` is the costly part and depends only on the catalogue: callers compute it once per
catalogue version and keep it. :func:`render` is cheap string work on top of a layout: it draws
the map, optionally coloured by one person's statuses, its legend and the same graph as an
ordered, nested list (the text alternative, which also serves readers without the picture).
Every text from the catalogue is escaped here; the markup returned is safe to insert as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final, Literal

import networkx as nx

MSG_CYCLE: Final = "The prerequisites form a cycle ({cycle}): a skill map needs an order to draw."

Status = Literal["done", "in_progress", "next", "later", "set_aside"]
STATUSES: Final[tuple[Status, ...]] = ("done", "in_progress", "next", "later", "set_aside")

NODE_WIDTH: Final = 168
NODE_HEIGHT: Final = 64
NODE_GAP: Final = 10
LABEL_HEIGHT: Final = 24
COLUMN_GAP: Final = 36
MARGIN: Final = 12
LINE_CHARS: Final = 20
MAX_LINES: Final = 3
LINE_HEIGHT: Final = 14
LABEL_CHARS: Final = 27


@dataclass(frozen=True)
class StatusStyle:
    """How a status is drawn: its words, a marker that does not rely on colour, and its colours."""

    label: str
    marker: str
    fill: str
    stroke: str
    dash: str


STYLES: Final[dict[Status, StatusStyle]] = {
    "done": StatusStyle("done", "✓", "#d1e7dd", "#0f5132", ""),
    "in_progress": StatusStyle("in progress", "▶", "#cfe2ff", "#084298", ""),
    "next": StatusStyle("next", "→", "#fff3cd", "#664d03", "8 3"),
    "later": StatusStyle("later", "…", "#f8f9fa", "#495057", "2 3"),
    "set_aside": StatusStyle("set aside", "✕", "#e9ecef", "#495057", "6 2 2 2"),
}
PLAIN: Final = StatusStyle("", "", "#ffffff", "#6c757d", "")


class PrerequisiteCycle(ValueError):
    """The prerequisites loop back on themselves, so no stage order exists."""


@dataclass(frozen=True)
class MapNode:
    """A skill on the map, with its category and the category's place in the catalogue."""

    slug: str
    name: str
    category_slug: str
    category_name: str
    category_order: int


@dataclass(frozen=True)
class MapEdge:
    """``skill`` needs ``requires`` at ``min_level`` first."""

    skill: str
    requires: str
    min_level: int


@dataclass(frozen=True)
class NodeStatus:
    """One person's standing on a skill: a status (None: none to show) and the level reached."""

    status: Status | None = None
    level: int | None = None


@dataclass(frozen=True)
class PlacedNode:
    """A skill placed on the map: its stage (0-based column), its row in the stage, its box."""

    node: MapNode
    stage: int
    row: int
    x: int
    y: int
    needs: tuple[MapEdge, ...]


@dataclass(frozen=True)
class CategoryLabel:
    """The name of a category over its group of boxes in one stage."""

    name: str
    x: int
    y: int


@dataclass(frozen=True)
class EdgePath:
    """A prerequisite drawn from the right side of ``requires`` to the left side of ``skill``."""

    edge: MapEdge
    path: str


@dataclass(frozen=True)
class Layout:
    """The whole map: stages of placed skills (in order), category labels, edge paths and size."""

    stages: tuple[tuple[PlacedNode, ...], ...]
    labels: tuple[CategoryLabel, ...]
    edges: tuple[EdgePath, ...]
    width: int
    height: int

    @property
    def nodes(self) -> tuple[PlacedNode, ...]:
        return tuple(placed for stage in self.stages for placed in stage)


@dataclass(frozen=True)
class RenderedMap:
    """The markup of a map: the SVG, its legend (empty when uncoloured) and the text alternative."""

    svg: str
    legend: str
    text: str
    coloured: bool


def stages(nodes: Iterable[MapNode], edges: Iterable[MapEdge]) -> list[list[str]]:
    """The skills' slugs by stage (unordered within a stage); edges to unknown skills are ignored.

    Raises :class:`PrerequisiteCycle` when the prerequisites loop.
    """
    edges = list(edges)
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(node.slug for node in nodes))
    graph.add_edges_from(
        sorted(
            (edge.requires, edge.skill)
            for edge in edges
            if edge.requires in graph and edge.skill in graph and edge.requires != edge.skill
        )
    )
    self_loops = sorted(edge.skill for edge in edges if edge.skill == edge.requires and edge.skill in graph)
    if self_loops:
        raise PrerequisiteCycle(MSG_CYCLE.format(cycle=f"{self_loops[0]} -> {self_loops[0]}"))
    if not nx.is_directed_acyclic_graph(graph):
        loop = [str(u) for u, _v in nx.find_cycle(graph)]
        raise PrerequisiteCycle(MSG_CYCLE.format(cycle=" -> ".join([*loop, loop[0]])))
    return [sorted(str(slug) for slug in generation) for generation in nx.topological_generations(graph)]


def layout(nodes: Sequence[MapNode], edges: Sequence[MapEdge]) -> Layout:
    """Place every skill in its stage and row and draw every prerequisite (see the module docstring)."""
    by_slug = {node.slug: node for node in nodes}
    kept: dict[tuple[str, str], MapEdge] = {}
    for edge in sorted(edges, key=lambda e: (e.skill, e.requires, e.min_level)):
        if edge.skill in by_slug and edge.requires in by_slug:
            kept.setdefault((edge.skill, edge.requires), edge)
    needs: dict[str, list[MapEdge]] = {}
    for edge in kept.values():
        needs.setdefault(edge.skill, []).append(edge)

    centre_y: dict[str, float] = {}
    placed_stages: list[tuple[PlacedNode, ...]] = []
    labels: list[CategoryLabel] = []
    height = MARGIN
    for stage, slugs in enumerate(stages(nodes, kept.values())):
        x = MARGIN + stage * (NODE_WIDTH + COLUMN_GAP)

        def order(slug: str) -> tuple[int, str, float, str, str]:
            node = by_slug[slug]
            above = [centre_y[edge.requires] for edge in needs.get(slug, [])]
            barycentre = sum(above) / len(above) if above else float("inf")
            return (node.category_order, node.category_slug, barycentre, node.name.casefold(), slug)

        y = MARGIN
        category: str | None = None
        placed: list[PlacedNode] = []
        for row, slug in enumerate(sorted(slugs, key=order)):
            node = by_slug[slug]
            if node.category_slug != category:
                category = node.category_slug
                name = node.category_name
                name = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"
                labels.append(CategoryLabel(name, x, y + LABEL_HEIGHT - 8))
                y += LABEL_HEIGHT
            skill_needs = tuple(
                sorted(needs.get(slug, []), key=lambda e: by_slug[e.requires].name.casefold())
            )
            placed.append(PlacedNode(node, stage, row, x, y, skill_needs))
            centre_y[slug] = y + NODE_HEIGHT / 2
            y += NODE_HEIGHT + NODE_GAP
        placed_stages.append(tuple(placed))
        height = max(height, y)

    boxes = {p.node.slug: p for stage_nodes in placed_stages for p in stage_nodes}
    paths = []
    for edge in sorted(kept.values(), key=lambda e: (boxes[e.requires].stage, e.requires, e.skill)):
        start, end = boxes[edge.requires], boxes[edge.skill]
        x1, y1 = start.x + NODE_WIDTH, start.y + NODE_HEIGHT // 2
        x2, y2 = end.x - 6, end.y + NODE_HEIGHT // 2
        bend = x1 + COLUMN_GAP // 2
        paths.append(EdgePath(edge, f"M{x1} {y1}C{bend} {y1} {bend} {y2} {x2} {y2}"))
    width = MARGIN * 2 + max(len(placed_stages), 1) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP
    return Layout(tuple(placed_stages), tuple(labels), tuple(paths), width, height + MARGIN - NODE_GAP)


def _lines(name: str) -> list[str]:
    """A name wrapped on at most MAX_LINES lines of LINE_CHARS characters (cut with an ellipsis past that)."""
    lines: list[str] = []
    current = ""
    for word in name.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= LINE_CHARS or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], " ".join(lines[MAX_LINES - 1 :])]
    return [line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…" for line in lines]


def status_words(standing: NodeStatus | None) -> str:
    """The standing in words, with its marker ("✓ done, level 3"); '' when there is nothing to say."""
    if standing is None:
        return ""
    parts = []
    if standing.status is not None:
        style = STYLES[standing.status]
        parts.append(f"{style.marker} {style.label}")
    if standing.level is not None:
        parts.append(f"level {standing.level}")
    return ", ".join(parts)


def _node_svg(placed: PlacedNode, href: str, standing: NodeStatus | None) -> str:
    node = placed.node
    style = STYLES[standing.status] if standing and standing.status else PLAIN
    words = status_words(standing)
    lines = _lines(node.name)
    # The link's name starts with its visible text (WCAG 2.5.3, "label in name"), each line ending
    # in a space so the lines read as words; then the category, and the full name if it was cut.
    visible = [*lines, words] if words else lines
    label = f"{' '.join(visible)} ({node.category_name})"
    if " ".join(lines) != node.name:
        label += f", {node.name}"
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    width = 2.5 if standing and standing.status in ("done", "in_progress") else 1.5
    text_x = placed.x + 8
    # The lines centred in the box: the name, then the status under it.
    first_y = placed.y + (NODE_HEIGHT - len(visible) * LINE_HEIGHT) // 2 + 11
    last = len(visible) - 1
    texts = []
    for i, line in enumerate(visible):
        kind = "status" if words and i == last else "name"
        space = " " if i < last else ""
        texts.append(
            f'<text x="{text_x}" y="{first_y + LINE_HEIGHT * i}" class="skillmap-{kind}">{escape(line)}{space}</text>'
        )
    return (
        f'<a href="{escape(href)}" aria-label="{escape(label)}" class="skillmap-node">'
        f'<rect x="{placed.x}" y="{placed.y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6" '
        f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="{width}"{dash}/>'
        f"{''.join(texts)}</a>"
    )


def render_svg(
    layout: Layout, href: Callable[[str], str], statuses: Mapping[str, NodeStatus] | None = None
) -> str:
    """The map as SVG markup: every skill a link (``href(slug)``), coloured by ``statuses`` if given."""
    states = statuses or {}
    return "".join(
        [
            _svg_head(layout),
            *(
                _node_svg(placed, href(placed.node.slug), states.get(placed.node.slug))
                for placed in layout.nodes
            ),
            "</svg>",
        ]
    )


def _svg_head(layout: Layout) -> str:
    """The SVG up to the skills' boxes: the frame, its title, the arrows and the category labels."""
    count = len(layout.nodes)
    title = (
        f"Skill map: {count} skill{'s' if count != 1 else ''} in {len(layout.stages)} "
        f"stage{'s' if len(layout.stages) != 1 else ''}, prerequisites to the left; each box links to its skill"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="skillmap" viewBox="0 0 {layout.width} {layout.height}" '
        f'width="{layout.width}" height="{layout.height}" role="group" aria-labelledby="skillmap-title">',
        f'<title id="skillmap-title">{escape(title)}</title>',
        '<defs><marker id="skillmap-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#6c757d"/></marker></defs>',
        '<g aria-hidden="true" fill="none" stroke="#adb5bd" stroke-width="1.5">',
        *(f'<path d="{e.path}" marker-end="url(#skillmap-arrow)"/>' for e in layout.edges),
        "</g>",
        '<g aria-hidden="true" class="skillmap-categories">',
        *(
            f'<text x="{label.x}" y="{label.y}" class="skillmap-category">{escape(label.name)}</text>'
            for label in layout.labels
        ),
        "</g>",
    ]
    return "".join(parts)


def render_legend() -> str:
    """The key to the colours, each with its marker and words, so no status rests on colour alone."""
    items = []
    for style in STYLES.values():
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        swatch = (
            '<svg width="28" height="18" viewBox="0 0 28 18" aria-hidden="true" focusable="false">'
            f'<rect x="1" y="1" width="26" height="16" rx="3" fill="{style.fill}" stroke="{style.stroke}" '
            f'stroke-width="1.5"{dash}/></svg>'
        )
        items.append(f"<li>{swatch} {escape(style.marker)} {escape(style.label)}</li>")
    return '<ul class="skillmap-legend list-inline">' + "".join(items) + "</ul>"


def render_text(
    layout: Layout, href: Callable[[str], str], statuses: Mapping[str, NodeStatus] | None = None
) -> str:
    """The same graph as an ordered list of stages, each a list of its skills with what they need."""
    states = statuses or {}
    names = {placed.node.slug: placed.node.name for placed in layout.nodes}
    stages_html = []
    for number, stage in enumerate(layout.stages, start=1):
        items = [
            _text_item(placed, href(placed.node.slug), names, states.get(placed.node.slug))
            for placed in stage
        ]
        stages_html.append(f"<li>{_stage_heading(number)}<ul>{''.join(items)}</ul></li>")
    return f'<ol class="skillmap-list">{"".join(stages_html)}</ol>'


def _stage_heading(number: int) -> str:
    return "Stage 1: no prerequisites" if number == 1 else f"Stage {number}"


def _text_item(placed: PlacedNode, href: str, names: Mapping[str, str], standing: NodeStatus | None) -> str:
    """A skill in the text alternative: its link, category, what it needs and where the person stands."""
    node = placed.node
    needs = ", ".join(f"{names[e.requires]} level {e.min_level}" for e in placed.needs)
    words = status_words(standing)
    return (
        f'<li><a href="{escape(href)}">{escape(node.name)}</a> '
        f"({escape(node.category_name)})"
        + (f"; needs: {escape(needs)}" if needs else "")
        + (f" — <strong>{escape(words)}</strong>" if words else "")
        + "</li>"
    )


def render(
    layout: Layout, href: Callable[[str], str], statuses: Mapping[str, NodeStatus] | None = None
) -> RenderedMap:
    """The SVG, the legend (only when coloured) and the text alternative of one map."""
    coloured = statuses is not None
    return RenderedMap(
        svg=render_svg(layout, href, statuses),
        legend=render_legend() if coloured else "",
        text=render_text(layout, href, statuses),
        coloured=coloured,
    )


class PreparedMap:
    """A layout with its links, ready to be drawn for many people.

    What depends on no one (the frame, the arrows, the labels, the legend) is drawn once; each
    skill's box and list item once per standing met on it (a handful of statuses and levels), so
    drawing a person's map only joins strings. :meth:`render` gives what :func:`render` gives.
    Callers keep one per catalogue version and link pattern.
    """

    def __init__(self, layout: Layout, href: Callable[[str], str]) -> None:
        self.layout = layout
        self._hrefs = {placed.node.slug: href(placed.node.slug) for placed in layout.nodes}
        self._names = {placed.node.slug: placed.node.name for placed in layout.nodes}
        self._svg_head = _svg_head(layout)
        self._legend = render_legend()
        self._stages = [
            (f"<li>{_stage_heading(number)}<ul>", stage)
            for number, stage in enumerate(layout.stages, start=1)
        ]
        self._boxes: dict[tuple[str, Status | None, int | None], str] = {}
        self._items: dict[tuple[str, Status | None, int | None], str] = {}

    def _box(self, placed: PlacedNode, standing: NodeStatus | None) -> str:
        slug = placed.node.slug
        key = (slug, standing.status, standing.level) if standing else (slug, None, None)
        box = self._boxes.get(key)
        if box is None:
            box = self._boxes[key] = _node_svg(placed, self._hrefs[slug], standing)
        return box

    def _item(self, placed: PlacedNode, standing: NodeStatus | None) -> str:
        slug = placed.node.slug
        key = (slug, standing.status, standing.level) if standing else (slug, None, None)
        item = self._items.get(key)
        if item is None:
            item = self._items[key] = _text_item(placed, self._hrefs[slug], self._names, standing)
        return item

    def render(self, statuses: Mapping[str, NodeStatus] | None = None) -> RenderedMap:
        """The SVG, the legend (only when coloured) and the text alternative, for ``statuses``."""
        states = statuses or {}
        svg = [self._svg_head]
        svg.extend(self._box(placed, states.get(placed.node.slug)) for placed in self.layout.nodes)
        svg.append("</svg>")
        text = ['<ol class="skillmap-list">']
        for heading, stage in self._stages:
            text.append(heading)
            text.extend(self._item(placed, states.get(placed.node.slug)) for placed in stage)
            text.append("</ul></li>")
        text.append("</ol>")
        coloured = statuses is not None
        return RenderedMap(
            svg="".join(svg), legend=self._legend if coloured else "", text="".join(text), coloured=coloured
        )
