"""All-or-nothing output: files are written to a temporary folder beside the destination,
which is swapped into place only once everything is written. A failed import leaves the
previous output untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from publisher.errors import InputError


def write_folders(outputs: dict[Path, dict[str, bytes]]) -> None:
    """Replace each destination folder by one holding exactly the given files.

    Entries of an existing folder that we do not produce (a README, a .gitkeep) are kept.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for destination, files in outputs.items():
            destination = destination.resolve()
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                temporary = Path(
                    tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent)
                )
            except OSError as exc:
                raise InputError(
                    f"cannot create the output folder: {exc.strerror}", file=str(destination)
                ) from None
            staged.append((destination, temporary))
            for name, content in sorted(files.items()):
                (temporary / name).write_bytes(content)
            if destination.is_dir():
                for entry in destination.iterdir():
                    if entry.name not in files:
                        target = temporary / entry.name
                        if entry.is_dir():
                            shutil.copytree(entry, target)
                        else:
                            shutil.copy2(entry, target)
            elif destination.exists():
                raise InputError(
                    "the output path exists and is not a folder", file=str(destination)
                )
    except BaseException as exc:
        for _destination, temporary in staged:
            shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write the output: {exc}") from None
        raise
    for destination, temporary in staged:
        os.chmod(temporary, 0o755)
        previous = None
        if destination.exists():
            previous = Path(
                tempfile.mkdtemp(prefix=f".{destination.name}.old.", dir=destination.parent)
            )
            os.rename(destination, previous / "old")
        os.rename(temporary, destination)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
