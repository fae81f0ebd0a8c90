"""Which stories hold a sketch hash: the inverted index :class:`checker.boilerplate.Stories`
searches for the story a document belongs to.

In an archive of repeated sentences one sketch hash stands in thousands of stories, and a
scan places hundreds of documents per draft: counting a document's shared hashes story by
story in Python (and sorting every story met) cost most of a scan's CPU. Here a sketch's
postings are gathered into one machine-word array (``array('q')``) and counted with numpy.
"""

from __future__ import annotations

from array import array

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]


class Postings:
    """Sketch hash -> the numbers of the stories whose sketch holds it, in the order the
    stories were added.

    Most hashes stand in one story only (a story's own wording): those are a plain
    ``hash -> story`` dict, filled for a whole sketch at once; a hash met again moves to
    a ``hash -> array('q')`` of its stories."""

    def __init__(self) -> None:
        self._single: dict[int, int] = {}
        self._multi: dict[int, array[int]] = {}

    def add(self, sketch: U64, story: int) -> None:
        """Record that ``story`` (added after every story so far) holds the distinct
        hashes ``sketch``."""
        new = set(sketch.tolist())
        single, multi = self._single, self._multi
        again = multi.keys() & new
        for x in again:
            multi[x].append(story)
        second = single.keys() & new
        for x in second:
            multi[x] = array("q", (single.pop(x), story))
        new -= again
        new -= second
        single.update(dict.fromkeys(new, story))

    def best(self, sketch: U64) -> tuple[int, int] | None:
        """The story sharing most hashes with ``sketch`` (distinct hashes) and how many;
        among stories sharing as many, the first one met going through ``sketch`` in
        order and each hash's stories in the order they were added. None when no story
        shares a hash."""
        single, multi = self._single, self._multi
        flat = array("q")
        for x in sketch.tolist():
            held = multi.get(x)
            if held is not None:
                flat.extend(held)
            else:
                st = single.get(x)
                if st is not None:
                    flat.append(st)
        if not flat:
            return None
        stories = np.frombuffer(flat, dtype=np.int64)
        shared = np.bincount(stories)[stories]
        # The first position holding the highest count is where its story is first met.
        first = int(np.argmax(shared))
        return int(stories[first]), int(shared[first])
