"""The node and edge attributes every exporter writes: columns, their types, and their values.

Internal helper of ``veille.report``: not a stable API.

Nodes come from the caller as plain dicts, one per vertex in ``InteractionGraph.actor_ids``
order, so the exporters do not depend on how scores are computed. ``actor_id`` (optional,
checked against the vertex) becomes the node id and ``label`` the node label (the actor id
when missing); every other key becomes a column, in order of first appearance, typed from its
values (see :func:`column_type`). ``None`` is a missing value.

Edges come from the graph itself: ``weight``, ``kinds`` (space-separated), one
``count_<kind>`` column per kind present in the graph, ``first_at``/``last_at`` (ISO 8601) and
``evidence`` (post ids, space-separated).

All text goes through :func:`clean_text`: names come from hostile data, and XML 1.0 cannot
carry most control characters at all, so they are removed (in CSV too, so every format holds
the same values). Escaping is left to the XML library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from veille.analyze.graph import InteractionGraph

__all__ = [
    "Column",
    "EdgeTable",
    "NodeTable",
    "clean_text",
    "column_type",
    "edge_table",
    "format_value",
    "node_table",
]

ColumnType = Literal["boolean", "long", "double", "string"]

# What XML 1.0 allows (production [2] Char); everything else, lone surrogates included, goes.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (C0 controls but tab and newlines,
    lone surrogates, U+FFFE and U+FFFF)."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True, slots=True)
class Column:
    """One attribute: its name (cleaned) and type, in GEXF/GraphML terms."""

    name: str
    type: ColumnType


def _is_bool(value: object) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "bool_"  # numpy's bool too


def column_type(values: Sequence[object]) -> ColumnType:
    """The narrowest type holding every non-missing value: booleans, whole numbers (``long``),
    numbers (``double``), else text (dates and lists included, see :func:`format_value`)."""
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(_is_bool(v) for v in present):
        return "boolean"
    if any(_is_bool(v) for v in present):
        return "string"
    if all(isinstance(v, Integral) for v in present):
        return "long"
    if all(isinstance(v, Real) for v in present):
        return "double"
    return "string"


def format_value(value: object, kind: ColumnType) -> str | None:
    """``value`` as attribute text for a column of type ``kind``; None when missing."""
    if value is None:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "long":
        return str(int(value))  # type: ignore[call-overload]  # an Integral, by column_type
    if kind == "double":
        number = float(value)  # type: ignore[arg-type]  # a Real, by column_type
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "INF" if number > 0 else "-INF"
        return repr(number)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return " ".join(clean_text(str(item)) for item in items)
    return clean_text(str(value))


@dataclass(frozen=True, slots=True)
class NodeTable:
    """Nodes as text: ``ids[i]``, ``labels[i]`` and ``values[i][c]`` for ``columns[c]``."""

    columns: tuple[Column, ...]
    ids: tuple[str, ...]
    labels: tuple[str, ...]
    values: tuple[tuple[str | None, ...], ...]


def node_table(net: InteractionGraph, nodes: Sequence[Mapping[str, Any]]) -> NodeTable:
    """The caller's node dicts checked against the graph and turned into typed text columns."""
    if len(nodes) != len(net.actor_ids):
        raise ValueError(
            f"nodes: {len(nodes)} dicts for {len(net.actor_ids)} vertices; "
            "give one per vertex, in actor_ids order"
        )
    names: dict[str, None] = {}
    for i, (actor_id, node) in enumerate(zip(net.actor_ids, nodes, strict=True)):
        given = node.get("actor_id")
        if given is not None and given != actor_id:
            raise ValueError(
                f"nodes[{i}] is actor {given!r} but vertex {i} is {actor_id!r}; "
                "give one dict per vertex, in actor_ids order"
            )
        names.update(dict.fromkeys(k for k in node if k not in ("actor_id", "label")))
    columns = []
    for name in names:
        values = [node.get(name) for node in nodes]
        columns.append((Column(clean_text(name), column_type(values)), name))
    labels = []
    for actor_id, node in zip(net.actor_ids, nodes, strict=True):
        label = node.get("label")
        labels.append(clean_text(str(label)) if label not in (None, "") else clean_text(actor_id))
    return NodeTable(
        columns=tuple(column for column, _ in columns),
        ids=tuple(clean_text(a) for a in net.actor_ids),
        labels=tuple(labels),
        values=tuple(
            tuple(format_value(node.get(key), column.type) for column, key in columns)
            for node in nodes
        ),
    )


@dataclass(frozen=True, slots=True)
class EdgeRow:
    """One edge as text, its attribute values in ``EdgeTable.columns`` order."""

    id: str
    source: str
    target: str
    weight: str
    values: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class EdgeTable:
    """Edge columns (``weight`` is not one: every format has a place of its own for it)."""

    columns: tuple[Column, ...]
    kinds: tuple[str, ...]  # as in the graph, one ``count_<kind>`` column each
    net: InteractionGraph

    def rows(self, batch: int = 10_000) -> Iterator[EdgeRow]:
        """Edges in graph order, converted ``batch`` at a time, column by column (graphs may
        hold millions of edges)."""
        net = self.net
        ids = [clean_text(a) for a in net.actor_ids]
        kind_text = {kind: clean_text(kind) for kind in self.kinds}
        for start in range(0, net.edges.num_rows, batch):
            part = net.edges.slice(start, batch)
            columns = {name: part.column(name).to_pylist() for name in part.column_names}
            for offset, (source, target, weight, kinds, counts, first, last, evidence) in enumerate(
                zip(
                    *(
                        columns[name]
                        for name in (
                            "source",
                            "target",
                            "weight",
                            "kinds",
                            "kind_counts",
                            "first_at",
                            "last_at",
                            "evidence",
                        )
                    ),
                    strict=True,
                )
            ):
                per_kind = dict(zip(kinds, counts, strict=True))
                yield EdgeRow(
                    id=f"e{start + offset}",
                    source=ids[source],
                    target=ids[target],
                    weight=repr(float(weight)),
                    values=(
                        " ".join(kind_text[k] for k in kinds),
                        *(str(per_kind.get(kind, 0)) for kind in self.kinds),
                        None if first is None else first.isoformat(),
                        None if last is None else last.isoformat(),
                        " ".join(clean_text(post) for post in evidence),
                    ),
                )


def edge_table(net: InteractionGraph) -> EdgeTable:
    """The edge columns of ``net``: kinds, one count per kind present, times, evidence."""
    flat = net.edges.column("kinds").combine_chunks().flatten()
    kinds = sorted({str(k) for k in flat.unique().to_pylist()})
    return EdgeTable(
        columns=(
            Column("kinds", "string"),
            *(Column(clean_text(f"count_{kind}"), "long") for kind in kinds),
            Column("first_at", "string"),
            Column("last_at", "string"),
            Column("evidence", "string"),
        ),
        kinds=tuple(kinds),
        net=net,
    )
