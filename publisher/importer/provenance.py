"""Provenance: the source files as prov:Entity (origin URL, licence), each line a record
was derived from as aict:SourceRecord, and one prov:Activity for the import.

Nothing here depends on the clock, so a rebuild of the same inputs is byte-identical.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from publisher import uris
from publisher.errors import InputError
from publisher.importer.country_graph import PYCOUNTRY_SOURCE
from publisher.namespaces import AICT, DCTERMS, PYPI_PROJECT, SPDX_LICENSE

IMPORT_ACTIVITY = "aict-import"


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the sources folder, or as given on the command line
    title: str
    origin: str | None
    licence: str | None

    @property
    def name(self) -> str:
        return Path(self.path).name


def load_manifest(path: Path) -> list[SourceFile]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("sources manifest missing", file=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the sources manifest: {exc}", file=str(path)) from None
    files = []
    for index, entry in enumerate(document.get("source", []), start=1):
        missing = [k for k in ("file", "title", "origin", "licence") if not entry.get(k)]
        if missing:
            raise InputError(
                f"source #{index} lacks {', '.join(missing)}", file=str(path), field=missing[0]
            )
        files.append(SourceFile(entry["file"], entry["title"], entry["origin"], entry["licence"]))
    return files


def build_provenance(
    files: list[SourceFile], graphs: list[Graph], generated: list[URIRef]
) -> Graph:
    """Describe the files and every source line the `graphs` refer to."""
    g = Graph()
    activity = uris.mint_record("activity", IMPORT_ACTIVITY)
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal("Import des sources par aict import", lang="fr")))
    g.add((activity, RDFS.label, Literal("Import of the sources by aict import", lang="en")))
    for graph_iri in generated:
        g.add((activity, PROV.generated, graph_iri))
    referenced = {o for graph in graphs for o in graph.objects(None, PROV.wasDerivedFrom)}
    for source in files:
        entity = uris.mint_source(source.name)
        g.add((activity, PROV.used, entity))
        g.add((entity, RDF.type, PROV.Entity))
        g.add((entity, RDFS.label, Literal(source.path)))
        g.add((entity, DCTERMS.title, Literal(source.title)))
        if source.origin:
            g.add((entity, DCTERMS.source, URIRef(source.origin)))
        if source.licence:
            g.add((entity, DCTERMS.license, URIRef(source.licence)))
        prefix = str(uris.mint_source(source.name)) + "/line/"
        for iri in referenced:
            text = str(iri)
            if text.startswith(prefix) and text[len(prefix) :].isdigit():
                g.add((iri, RDF.type, AICT.SourceRecord))
                g.add((iri, AICT.sourceFile, Literal(source.path)))
                g.add(
                    (
                        iri,
                        AICT.sourceLine,
                        Literal(int(text[len(prefix) :]), datatype=XSD.integer),
                    )
                )
                g.add((iri, DCTERMS.isPartOf, entity))
    version = metadata.version("pycountry")
    library = uris.mint_source(PYCOUNTRY_SOURCE)
    g.add((activity, PROV.used, library))
    g.add((library, RDF.type, PROV.Entity))
    g.add((library, RDFS.label, Literal(f"pycountry {version}")))
    g.add(
        (
            library,
            DCTERMS.title,
            Literal(f"ISO 3166-1 countries and their French names, pycountry {version}"),
        )
    )
    g.add((library, DCTERMS.source, URIRef(f"{PYPI_PROJECT}pycountry/{version}/")))
    g.add((library, DCTERMS.license, SPDX_LICENSE["LGPL-2.1-only"]))
    return g
