"""The importer: real source files (twinnings CSV, découpage reference data, curated facts)
turned into the published RDF dataset, with provenance, a reject report and a summary."""

from publisher.importer.build import BuildResult, build_dataset, import_twinnings

__all__ = ["BuildResult", "build_dataset", "import_twinnings"]
