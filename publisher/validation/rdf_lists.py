"""Collections (rdf:List) the SHACL engines cannot walk: a chain of rdf:rest that comes back
on itself. pyshacl follows it forever while writing a result about the list ("List contains
a recursive rdf:rest reference"), so the input layer refuses it first, at its line."""

from __future__ import annotations

from rdflib import RDF, Graph
from rdflib.term import Node


def looping_list_node(graph: Graph) -> Node | None:
    """A node of an rdf:rest chain that leads back to itself, or None when every chain ends."""
    rests: dict[Node, list[Node]] = {}
    for node, rest in graph.subject_objects(RDF.rest):
        rests.setdefault(node, []).append(rest)
    finished: set[Node] = set()  # every chain from these ends
    for start in rests:
        if start in finished:
            continue
        on_path: set[Node] = {start}
        stack = [(start, iter(rests[start]))]
        while stack:  # depth-first, without recursion: lists may be thousands long
            node, following = stack[-1]
            rest = next(following, None)
            if rest is None:
                stack.pop()
                on_path.discard(node)
                finished.add(node)
            elif rest in on_path:
                return rest
            elif rest not in finished and rest in rests:
                on_path.add(rest)
                stack.append((rest, iter(rests[rest])))
    return None
