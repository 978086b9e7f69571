"""The SHACL engines behind one interface: pySHACL (default, the reference) and shacl-rust
(optional extra `fast`). Both return the same raw results, in the terms of our graphs."""

from __future__ import annotations

from rdflib import Graph

from publisher.errors import InputError
from publisher.validation.engine_pyshacl import run_pyshacl
from publisher.validation.engine_shacl_rust import run_shacl_rust
from publisher.validation.raw_result import RawResult

ENGINES = ("pyshacl", "shacl-rust")

__all__ = ["ENGINES", "RawResult", "run_engine"]


def run_engine(engine: str, data: Graph, shapes: Graph) -> list[RawResult]:
    if engine == "pyshacl":
        return run_pyshacl(data, shapes)
    if engine == "shacl-rust":
        return run_shacl_rust(data, shapes)
    raise InputError(
        f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}", field="--engine"
    )
