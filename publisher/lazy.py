"""Package exports imported on first use (PEP 562), so that importing one small module of a
package does not load the whole toolkit: a respawned SPARQL worker or `aict serve` must not
pay for the validator, and `aict validate` not for the web stack."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` giving `name` from module `exports[name]` when first asked."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__
