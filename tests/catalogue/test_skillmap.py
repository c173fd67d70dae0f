"""The skill map's layout, its SVG and its text alternative (catalogue.skillmap, no database)."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import skillmap
from catalogue.skillmap import MapEdge, MapNode, NodeStatus, PrerequisiteCycle

PROGRAMMING = ("programming", "Programming", 1)
MATHS = ("maths", "Maths & statistics", 2)
ML = ("ml", "ML frameworks", 3)

NODES = [
    MapNode("python", "Python", *PROGRAMMING),
    MapNode("sql", "SQL", *PROGRAMMING),
    MapNode("linear-algebra", "Linear algebra", *MATHS),
    MapNode("scikit-learn", "scikit-learn", *ML),
    MapNode("pytorch", "PyTorch", *ML),
    MapNode("transformers", "Transformers", *ML),
]
EDGES = [
    MapEdge("scikit-learn", "python", 2),
    MapEdge("pytorch", "python", 2),
    MapEdge("pytorch", "linear-algebra", 1),
    MapEdge("transformers", "pytorch", 3),
]


def href(slug: str) -> str:
    return f"/catalogue/skills/{slug}/"


def stage_of(layout: skillmap.Layout) -> dict[str, int]:
    return {placed.node.slug: placed.stage for placed in layout.nodes}


def test_every_prerequisite_sits_in_an_earlier_stage_and_every_skill_is_placed():
    layout = skillmap.layout(NODES, EDGES)
    stages = stage_of(layout)
    assert set(stages) == {node.slug for node in NODES}
    assert len(layout.nodes) == len(NODES)
    for edge in EDGES:
        assert stages[edge.requires] < stages[edge.skill]
    assert [[p.node.slug for p in stage] for stage in layout.stages] == [
        ["python", "sql", "linear-algebra"],
        # scikit-learn needs only Python (the top row); PyTorch also needs linear algebra, lower down.
        ["scikit-learn", "pytorch"],
        ["transformers"],
    ]


def test_within_a_stage_categories_come_in_catalogue_order_then_the_barycentre_of_prerequisites():
    nodes = [
        MapNode("a", "A", *PROGRAMMING),
        MapNode("b", "B", *PROGRAMMING),
        MapNode("c", "C", *PROGRAMMING),
        MapNode("needs-c", "Aardvark", *ML),
        MapNode("needs-a", "Zebra", *ML),
        MapNode("maths-one", "Zzz", *MATHS),
    ]
    edges = [MapEdge("needs-c", "c", 1), MapEdge("needs-a", "a", 1), MapEdge("maths-one", "b", 1)]
    layout = skillmap.layout(nodes, edges)
    # Maths (order 2) before ML (order 3); in ML, the one under "a" (top) before the one under "c",
    # though its name sorts last.
    assert [p.node.slug for p in layout.stages[1]] == ["maths-one", "needs-a", "needs-c"]


def test_the_layout_ignores_the_input_order_and_edges_to_skills_not_on_the_map():
    first = skillmap.layout(NODES, [*EDGES, MapEdge("python", "unpublished", 2)])
    second = skillmap.layout(list(reversed(NODES)), list(reversed(EDGES)))
    assert first == second
    assert skillmap.render_svg(first, href) == skillmap.render_svg(second, href)
    assert skillmap.render_text(first, href) == skillmap.render_text(second, href)


def test_every_edge_is_drawn_from_the_prerequisite_to_the_skill():
    layout = skillmap.layout(NODES, EDGES)
    boxes = {p.node.slug: p for p in layout.nodes}
    assert {(e.edge.requires, e.edge.skill) for e in layout.edges} == {(e.requires, e.skill) for e in EDGES}
    for drawn in layout.edges:
        start = re.match(r"M(\d+) (\d+)C", drawn.path)
        assert start is not None
        assert int(start[1]) == boxes[drawn.edge.requires].x + skillmap.NODE_WIDTH
        assert int(drawn.path.split()[-2]) < boxes[drawn.edge.skill].x


@pytest.mark.parametrize(
    ("edges", "loop"),
    [
        ([MapEdge("a", "b", 1), MapEdge("b", "a", 1)], "a -> b -> a"),
        ([MapEdge("a", "b", 1), MapEdge("b", "c", 1), MapEdge("c", "a", 1)], "a -> c -> b -> a"),
        ([MapEdge("a", "a", 1)], "a -> a"),
    ],
)
def test_a_prerequisite_cycle_raises_a_clear_error(edges, loop):
    nodes = [MapNode(slug, slug.upper(), *PROGRAMMING) for slug in "abc"]
    with pytest.raises(PrerequisiteCycle) as error:
        skillmap.layout(nodes, edges)
    assert str(error.value) == skillmap.MSG_CYCLE.format(cycle=loop)


def test_the_uncoloured_map_links_every_skill_and_has_no_legend_or_status():
    rendered = skillmap.render(skillmap.layout(NODES, EDGES), href)
    for node in NODES:
        assert f'<a href="{href(node.slug)}"' in rendered.svg
        assert f'<a href="{href(node.slug)}">' in rendered.text
    assert rendered.legend == "" and not rendered.coloured
    for style in skillmap.STYLES.values():
        assert style.label not in rendered.text
        assert style.fill not in rendered.svg
    assert rendered.svg.startswith("<svg") and 'aria-labelledby="skillmap-title"' in rendered.svg
    assert '<title id="skillmap-title">Skill map: 6 skills in 3 stages' in rendered.svg


def test_the_text_alternative_lists_stages_in_order_with_what_each_skill_needs():
    text = skillmap.render_text(skillmap.layout(NODES, EDGES), href)
    assert text.startswith('<ol class="skillmap-list"><li>Stage 1: no prerequisites<ul>')
    assert text.index("Stage 1") < text.index("Stage 2") < text.index("Stage 3")
    assert "(ML frameworks); needs: Linear algebra level 1, Python level 2</li>" in text
    assert ">Transformers</a> (ML frameworks); needs: PyTorch level 3</li>" in text


def test_statuses_show_a_text_marker_and_the_level_not_colour_alone():
    statuses = {
        "python": NodeStatus("done", 3),
        "sql": NodeStatus("in_progress", 1),
        "linear-algebra": NodeStatus("next", 0),
        "pytorch": NodeStatus("later", 0),
        "scikit-learn": NodeStatus("set_aside", 1),
        "transformers": NodeStatus(None, 2),
    }
    rendered = skillmap.render(skillmap.layout(NODES, EDGES), href, statuses)
    assert rendered.coloured
    for words in (
        "✓ done, level 3",
        "▶ in progress, level 1",
        "→ next, level 0",
        "… later, level 0",
        "✕ set aside, level 1",
    ):
        assert f' class="skillmap-status">{words}</text>' in rendered.svg
        assert f"<strong>{words}</strong>" in rendered.text
        assert words.split(",")[0] in rendered.legend
    assert 'class="skillmap-status">level 2</text>' in rendered.svg
    # The link's name starts with what it shows (label in name), then the category.
    assert 'aria-label="Python ✓ done, level 3 (Programming)"' in rendered.svg
    assert 'class="skillmap-name">Python </text>' in rendered.svg
    assert skillmap.STYLES["done"].fill in rendered.svg


def test_an_empty_statuses_map_is_coloured_but_marks_nothing():
    rendered = skillmap.render(skillmap.layout(NODES, EDGES), href, {})
    assert rendered.coloured and rendered.legend
    assert "skillmap-status" not in rendered.svg


def test_every_catalogue_text_is_escaped():
    nasty = '<script>alert("x")</script> & "quotes"'
    nodes = [
        MapNode("evil", nasty, "cat", "<b>Cat</b>", 1),
        MapNode("after", "After", "cat", "<b>Cat</b>", 1),
    ]
    rendered = skillmap.render(
        skillmap.layout(nodes, [MapEdge("after", "evil", 2)]),
        lambda slug: f'/x/{slug}/"onmouseover="alert(1)',
        {"evil": NodeStatus("done", 2)},
    )
    for markup in (rendered.svg, rendered.text):
        assert "<script>" not in markup and "<b>" not in markup
        assert '"onmouseover' not in markup
        assert "&lt;b&gt;Cat&lt;/b&gt;" in markup
    assert "needs: &lt;script&gt;" in rendered.text


def test_long_names_wrap_on_a_few_lines_and_keep_the_full_name_in_the_label():
    name = "Probability and Bayesian statistics for machine learning practitioners"
    rendered = skillmap.render_svg(skillmap.layout([MapNode("p", name, *MATHS)], []), href)
    lines = [line.strip() for line in re.findall(r'class="skillmap-name">([^<]*)</text>', rendered)]
    assert len(lines) == skillmap.MAX_LINES and all(len(line) <= skillmap.LINE_CHARS for line in lines)
    assert lines[-1].endswith("…")
    shown = " ".join(lines)
    assert f'aria-label="{shown} (Maths &amp; statistics), {name}"' in rendered


def test_a_long_category_name_is_cut_to_its_column():
    category = "Data modelling, warehousing and architecture"
    layout = skillmap.layout([MapNode("a", "A", "data", category, 1)], [])
    (label,) = layout.labels
    assert len(label.name) <= skillmap.LABEL_CHARS and label.name.endswith("…")
    assert f'aria-label="A ({category})"' in skillmap.render_svg(layout, href)


def test_an_empty_catalogue_draws_an_empty_map():
    rendered = skillmap.render(skillmap.layout([], []), href)
    assert "Skill map: 0 skills in 0 stages" in rendered.svg
    assert rendered.text == '<ol class="skillmap-list"></ol>'


@st.composite
def dags(draw):
    """A random DAG: edges only from a lower index to a higher one, then the slugs shuffled."""
    count = draw(st.integers(min_value=1, max_value=25))
    categories = draw(st.lists(st.integers(0, 3), min_size=count, max_size=count))
    slugs = draw(st.permutations([f"s{i}" for i in range(count)]))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)).filter(lambda p: p[0] < p[1]),
            max_size=60,
        )
    )
    nodes = [
        MapNode(slugs[i], f"Skill {i}", f"c{categories[i]}", f"C{categories[i]}", categories[i])
        for i in range(count)
    ]
    edges = [MapEdge(slugs[b], slugs[a], draw(st.integers(1, 4))) for a, b in pairs]
    return nodes, edges


@given(dags())
def test_on_any_dag_every_edge_climbs_a_stage_and_every_node_is_placed_once(graph):
    nodes, edges = graph
    layout = skillmap.layout(nodes, edges)
    placed = [p.node.slug for p in layout.nodes]
    assert sorted(placed) == sorted(n.slug for n in nodes)
    stages = stage_of(layout)
    for edge in edges:
        assert stages[edge.requires] < stages[edge.skill]
    # A skill in stage k > 0 has a prerequisite in stage k - 1 (stages are as early as possible).
    for p in layout.nodes:
        if p.stage:
            assert any(stages[e.requires] == p.stage - 1 for e in p.needs)
    # Boxes never overlap inside a stage.
    for stage in layout.stages:
        for above, below in pairwise(stage):
            assert below.y >= above.y + skillmap.NODE_HEIGHT
    assert skillmap.layout(list(reversed(nodes)), list(reversed(edges))) == layout


@given(dags(), st.integers(0, 24), st.integers(0, 24))
def test_on_any_graph_with_a_loop_the_layout_raises(graph, a, b):
    nodes, edges = graph
    count = len(nodes)
    a, b = a % count, b % count
    # A path from b to a plus an edge back closes a loop (a == b: a self-loop).
    looped = [*edges, MapEdge(nodes[a].slug, nodes[b].slug, 1), MapEdge(nodes[b].slug, nodes[a].slug, 1)]
    with pytest.raises(PrerequisiteCycle):
        skillmap.layout(nodes, looped)
