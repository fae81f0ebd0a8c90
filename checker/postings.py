"""Which stories hold a sketch hash: the inverted index :class:`checker.boilerplate.Stories`
searches for the story a document belongs to.

In an archive of repeated sentences one sketch hash stands in thousands of stories, and a
scan places hundreds of documents per draft: counting a document's shared hashes story by
story in Python cost most of a scan's CPU. Here each hash's stories are a machine-word
array (``array('q')``): a sketch's postings are joined as bytes and counted with numpy.
"""

from __future__ import annotations

from array import array

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]


class Postings:
    """Sketch hash -> the numbers of the stories whose sketch holds it, in the order the
    stories were added."""

    def __init__(self) -> None:
        self._stories: dict[int, array[int]] = {}

    def add(self, sketch: U64, story: int) -> None:
        """Record that ``story`` holds the distinct hashes ``sketch``."""
        get, one = self._stories.get, array("q", (story,))
        for x in sketch.tolist():
            held = get(x)
            if held is None:
                self._stories[x] = one[:]  # a copy: the cheapest new one-story array
            else:
                held.append(story)

    def best(self, sketch: U64) -> tuple[int, int] | None:
        """The story sharing most hashes with ``sketch`` (distinct hashes) and how many;
        among stories sharing as many, the first one met going through ``sketch`` in
        order and each hash's stories in the order they were added. None when no story
        shares a hash."""
        get = self._stories.get
        flat = np.frombuffer(b"".join([held for x in sketch.tolist()
                                       if (held := get(x)) is not None]), dtype=np.int64)
        if not len(flat):
            return None
        shared = np.bincount(flat)[flat]
        # The first position holding the highest count is where its story is first met.
        first = int(np.argmax(shared))
        return int(flat[first]), int(shared[first])
