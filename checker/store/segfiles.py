"""Segment files on disk: their names, their atomic writing, and reading one back
without trusting it (see :mod:`checker.store.segments` for the format).

A segment file is a ``uint32`` ``.npy`` array; reading one checks its header and
its size against the file's size, and its layout (recorded in the index) against
the array, so a truncated or overwritten file or a crafted layout is refused
before any entry is read, and no offset it names reaches past the file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .safety import BadIndexFile, open_regular

U32 = npt.NDArray[np.uint32]
_FIELDS = ("n", "dir", "hi", "lo", "doc")


def segment_name() -> str:
    """A new, unique segment file name (written before it is registered); it
    matches :data:`checker.store.safety.SEGMENT_NAME`."""
    return f"seg-{time.time_ns():020d}-{os.getpid()}.npy"


def write_segment(path: Path, total: int, sections: Iterable[U32]) -> None:
    """Write ``total`` words of sections as one ``.npy`` file atomically
    (temporary name, fsync, rename). Sections are written as they come, so a
    merge never holds more than one band in memory. On any failure (a full disk)
    the temporary file is removed."""
    tmp = path.with_name(path.name + ".tmp")
    # Plain writes, not a writable memmap: written pages stay out of this
    # process's resident memory (a merge at 1M articles writes 2.6 GB).
    pos = 0
    try:
        with open(tmp, "wb") as f:
            np.lib.format.write_array_header_1_0(
                f, {"descr": np.dtype(np.uint32).str, "fortran_order": False, "shape": (total,)})
            for s in sections:
                # f.write, not ndarray.tofile: a full disk is then an OSError with its errno.
                f.write(np.ascontiguousarray(s, dtype=np.uint32).data.cast("B"))
                pos += len(s)
            f.flush()
            os.fsync(f.fileno())
        if pos != total:
            raise AssertionError(f"segment size {pos} != {total}")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def map_segment(path: Path) -> U32:
    """The words of a segment file, memory-mapped (read-only), after checking that
    it is a regular file holding a 1-d ``uint32`` array exactly as long as the file.

    Raises:
        BadIndexFile: anything else (truncated, overwritten, another dtype).
        FileNotFoundError: the file is gone (a merge removed it).
    """
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        try:
            version = np.lib.format.read_magic(f)
            if version != (1, 0):
                raise ValueError(f"npy version {version}")
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        except (ValueError, OSError, SyntaxError) as exc:
            raise BadIndexFile(f"{path.name} is not a segment file ({exc})") from None
        if (dtype != np.dtype(np.uint32) or fortran or not isinstance(shape, tuple)
                or len(shape) != 1 or not isinstance(shape[0], int)):
            raise BadIndexFile(f"{path.name} is not a segment file (header {dtype}, {shape})")
        offset = f.tell()
        if size != offset + 4 * shape[0]:
            raise BadIndexFile(f"{path.name} is truncated or overwritten ({size} bytes, "
                               f"its header says {offset + 4 * shape[0]})")
        if shape[0] == 0:
            return np.zeros(0, dtype=np.uint32)
        return np.memmap(f, dtype=np.uint32, mode="r", offset=offset, shape=shape)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_layout(name: str, layout: Any, total: int, small_band: int,
                 dir_words: int, bands: int | None = None) -> list[dict[str, Any]]:
    """The layout of a segment of ``total`` words, checked: one entry per band
    (``bands`` when given) with every section inside the file.

    Raises:
        BadIndexFile: a layout that is not what :func:`build_sections` writes.
    """

    def bad(what: str) -> BadIndexFile:
        return BadIndexFile(f"segment {name}: {what}")

    if not isinstance(layout, list) or (bands is not None and len(layout) != bands):
        raise bad(f"its layout is not a list of {bands} bands")
    for b in layout:
        if not isinstance(b, dict) or set(b) != set(_FIELDS):
            raise bad("a band's layout is not {n, dir, hi, lo, doc}")
        n = b["n"]
        if not _int(n) or not _int(b["lo"]) or not _int(b["doc"]):
            raise bad("a band's sizes are not whole numbers")
        big = n >= small_band
        head, other = ("dir", "hi") if big else ("hi", "dir")
        if not _int(b[head]) or b[other] is not None:
            raise bad(f"a band of {n} entries has no {head!r} section")
        spans = [(b[head], dir_words if big else n), (b["lo"], (n + 1) // 2), (b["doc"], n)]
        if any(off + length > total for off, length in spans):
            raise bad(f"a band's section reaches past the end of the file ({total} words)")
    return layout
