"""`open_store(settings)`: the one place that decides which store serves the data."""

from __future__ import annotations

from publisher.config import Settings
from publisher.store.interface import Store


def open_store(settings: Settings) -> Store:
    """Open the store the settings ask for, loading the files unless an on-disk store has them.

    With `store_endpoint`, a remote SPARQL store is used instead and no file is loaded.
    In memory (no `store_dir`): the files are loaded on every start. On disk: the first start
    loads them; later starts open the existing store as is and only warn if the files changed.
    """
    # Imported on demand: a remote deployment does not load the embedded engine's code path,
    # and an embedded one does not need the HTTP client.
    if settings.store_endpoint is not None:
        from publisher.store.remote import SparqlEndpointStore

        return SparqlEndpointStore.open(settings)
    from publisher.store.embedded import open_in_memory, open_on_disk

    if settings.store_dir is None:
        return open_in_memory(settings.data_paths)
    return open_on_disk(settings.store_dir, settings.data_paths)
