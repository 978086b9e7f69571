"""The one error boundary (publisher.web.errors): every exception class of ours has a row."""

import importlib
import pkgutil

import pytest

import publisher
from publisher.errors import AictError, QueryForbidden, UpdateForbidden
from publisher.sparql.errors import ProtocolError
from publisher.web.errors import ERRORS, INTERNAL, kind_of


def all_error_classes() -> set[type[AictError]]:
    for module in pkgutil.walk_packages(publisher.__path__, "publisher."):
        if not module.name.endswith("__main__"):  # runs the CLI
            importlib.import_module(module.name)
    found, pending = set(), [AictError]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return found


@pytest.mark.parametrize("cls", sorted(all_error_classes(), key=lambda c: c.__qualname__))
def test_every_error_class_is_mapped(cls):
    # Mapped by itself or by a parent more specific than the catch-all AictError row.
    rows = [parent for parent in cls.__mro__ if parent in ERRORS and parent is not AictError]
    assert rows, f"{cls.__module__}.{cls.__qualname__} has no row in ERRORS"


def test_internal_errors_say_nothing_and_client_errors_say_why():
    for cls, kind in ERRORS.items():
        assert kind.internal == (kind.status == 500), cls
        assert kind.status is None or 400 <= kind.status <= 599


def test_the_most_specific_row_decides():
    assert kind_of(QueryForbidden("SERVICE refused")).status == 400
    assert kind_of(UpdateForbidden("update disabled")).status == 403
    assert kind_of(ProtocolError("too large", 413)).status is None  # its own status
    assert kind_of(ValueError("not ours")) is INTERNAL
