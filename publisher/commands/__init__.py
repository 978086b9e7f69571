"""The `aict` commands, one module each; importing this package registers them on the app."""

from publisher.commands import (
    import_,  # noqa: F401
    info,  # noqa: F401
    load,  # noqa: F401
    serve,  # noqa: F401
    template,  # noqa: F401
    validate,  # noqa: F401
)
