"""The writer's own copies of the server segments it wrote, so merging them reads no block back.

An add writes a segment per batch and ends by merging most of them
(:func:`checker.store.pgblocks.merge`). Reading those blocks back from the server
(fetching the rows, checking and decoding them) was about a third of the merge: 6 s
of a 100,000-article add's 20 s merge. The writer held each segment's arrays when it
wrote them, so it keeps them, up to :data:`BUDGET_BYTES` in all (a segment past the
budget is read back when merged; merged segments are forgotten).

A copy is used only while the server's segment has the same ``(first, end,
entries)``: a removal that cuts entries out of a segment changes its ``entries``,
and document numbers come from a sequence, so a rolled-back segment's range is never
written again with other documents. Anything else is read from the server.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Run = tuple[I64, I64, I32]  # distinct sorted keys, their counts, their documents
Segment = tuple[int, int, int]  # first, end, entries

#: Bytes of arrays kept at most (~12 bytes per entry: a 100,000-article add's
#: segments before its last batch take ~0.8 GB).
BUDGET_BYTES = 1 << 30


class SegmentCache:
    """Arrays of segments written by this writer, by ``(first, end, entries)``."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self._held: dict[Segment, tuple[I64, npt.NDArray[np.int32], I32]] = {}

    def size(self) -> int:
        """Bytes held."""
        return sum(a.nbytes for run in self._held.values() for a in run)

    def put(self, segment: Segment, keys: I64, counts: I64, docs: I32) -> None:
        """Keep the arrays of a segment just written (in the writer's transaction),
        when they fit the budget."""
        if self.size() + keys.nbytes + counts.nbytes // 2 + docs.nbytes <= self.budget:
            self._held[segment] = (keys, counts.astype(np.int32), docs)

    def get(self, segment: Segment) -> Run | None:
        """The arrays of ``segment`` as it stands on the server, if this writer wrote it."""
        run = self._held.get(segment)
        return None if run is None else (run[0], run[1].astype(np.int64), run[2])

    def drop(self, segments: list[Segment]) -> None:
        """Forget segments (merged away)."""
        for s in segments:
            self._held.pop(s, None)

    def close(self) -> None:
        """Forget every segment."""
        self._held.clear()
