"""The importer: real source files (twinnings CSV, découpage reference data, curated facts)
turned into the published RDF dataset, with provenance, a reject report and a summary.

Exports are imported on first use: a module that needs one small part (a country table)
does not load the whole build."""

from typing import TYPE_CHECKING

from publisher.lazy import lazy_exports

if TYPE_CHECKING:
    from publisher.importer.build import BuildResult, build_dataset, import_twinnings

__getattr__ = lazy_exports(
    __name__,
    {
        name: "publisher.importer.build"
        for name in ("BuildResult", "build_dataset", "import_twinnings")
    },
)

__all__ = ["BuildResult", "build_dataset", "import_twinnings"]
