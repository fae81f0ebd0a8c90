"""Preloaded by the kill test's forkserver: compiles (or loads from numba's cache) the
indexing kernels once, so that a forked ``index add`` starts writing at once instead of
spending its whole random lifetime loading them, and kills land inside writes."""

from __future__ import annotations

import numpy as np

from checker.fastsketch import batch_keys
from checker.sketch import SketchParams
from checker.store.batchkeys import distinct_entries

_keys, _ = batch_keys(["warm up the compiled kernels with a few words of text " * 20], [()],
                      SketchParams())
distinct_entries([k.ravel() for k in _keys] + [np.empty(0, dtype=np.int64)])
