"""The `aict` commands, one module each; importing this package registers them on the app."""

from publisher.commands import info  # noqa: F401
from publisher.commands import validate  # noqa: F401
from publisher.commands import serve  # noqa: F401
from publisher.commands import import_  # noqa: F401
