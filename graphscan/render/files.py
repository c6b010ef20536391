"""Files written whole or not at all: the one atomic writer of maps, reports and graph exports."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, synced, then renamed over it.

    Readers see the old file or the new one, never a part. The file gets the mode a plain ``open``
    would give it (0666 less the umask; ``mkstemp``'s 0600 would hide it from other users), and a
    failure leaves no temporary file behind.

    Raises:
        OSError: the folder cannot be written, the disk is full...
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else "."
    )
    try:
        os.fchmod(handle, 0o666 & ~current_umask())
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
