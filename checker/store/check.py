"""``checker index check [--repair]``: verify an index and fix what can be fixed.

Checked: the files' rules (:mod:`checker.store.safety`), SQLite's own integrity,
every registered segment (name, file, header, layout, bucket directories, entry
count), files of the segment folder nobody registered, every document row (types),
its stored text (decompresses to its recorded size, UTF-8), every one of its LSH
entries (recomputed from the stored text, as ``index add`` computed them), the
tombstones, and that the entry counts add up. The parameters are checked by
opening the index.

Repairs: an unusable segment is dropped and the documents that lose entries are
re-indexed from their stored text; unregistered segment files (named as the index
names them) are deleted; a document whose row or text is unreadable is dropped
(named, to be added again); stray texts and tombstones are deleted; counts are
rebuilt by merging every segment. What cannot be repaired (a database SQLite
itself finds corrupt, another schema) is said, with what to do.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import zstandard

from ..errors import CheckerError, IndexUnfinishedError
from ..ingest import source_keys
from ..storysketch import MAX_BYTES, story_sketches
from .base import DocumentRecord, PreparedDocument
from .rows import COLUMNS, record_from_row
from .safety import (
    LSH_DIR,
    SEGMENT_NAME,
    TEMP_NAME,
    BadIndexFile,
    check_files,
    remove_unregistered,
    translated,
)
from .segments import Segment, lookup
from .sqlite import SQLiteStore

BATCH = 500  # documents whose entries are recomputed at once
SHOWN = 20  # documents named one by one; more are counted


@dataclass
class CheckReport:
    """What :func:`check_index` found (``problems``: still there) and repaired."""

    location: str
    documents: int = 0
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # harmless: the next write cleans them

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass
class _Findings:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bad_segments: list[int] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    drop: dict[int, str] = field(default_factory=dict)  # document num -> why
    reindex: list[tuple[DocumentRecord, str]] = field(default_factory=list)
    stray_texts: int = 0
    stray_stories: int = 0
    # Document number -> the story sketch computed from its text, for stored ones that
    # are malformed or do not match it.
    bad_stories: dict[int, bytes] = field(default_factory=dict)
    bad_tombstones: int = 0
    recount: bool = False
    documents: int = 0
    unnamed: int = 0

    def document(self, message: str) -> None:
        """A problem of one document: the first :data:`SHOWN` are named."""
        if sum(p.startswith("document ") for p in self.problems) < SHOWN:
            self.problems.append(message)
        else:
            self.unnamed += 1


def check_index(directory: Path, repair: bool = False) -> CheckReport:
    """Check the index at ``directory``; with ``repair``, fix what can be fixed,
    then check again (``problems`` is what is left)."""
    report = CheckReport(location=str(directory))
    try:
        check_files(directory)
    except CheckerError as exc:
        lsh = directory / LSH_DIR
        if not (repair and lsh.is_symlink()):
            report.problems.append(str(exc))
            return report
        lsh.unlink()  # the link only, never what it points to
        report.repaired.append(f"removed {LSH_DIR}, a symlink; its entries are rebuilt")
    try:
        store = SQLiteStore(directory, read_only=not repair)
    except IndexUnfinishedError:
        report.notes.append("the index has no tables yet (its first add was interrupted); "
                            "the next 'checker index add' creates them")
        return report
    except CheckerError as exc:
        report.problems.append(str(exc))
        return report
    try:
        found = _inspect(store)
        if repair and ((found.problems and not _unrepairable(found)) or found.orphans):
            _repair(store, found, report)
            found = _inspect(store)
        report.problems, report.documents = found.problems, found.documents
        report.notes = found.notes
    except CheckerError as exc:
        report.problems.append(str(exc))
    finally:
        store.close()
    return report


def _unrepairable(found: _Findings) -> bool:
    return any(p.startswith("SQLite integrity") for p in found.problems)


def _inspect(store: SQLiteStore) -> _Findings:
    f = _Findings()
    with translated(store.directory):
        db = store._db
        result = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
        if result != ["ok"]:
            f.problems.append(f"SQLite integrity: {'; '.join(map(str, result))} (not "
                              "repairable: move the index away and rebuild it)")
            return f
        segments = _check_segments(store, f)
        _check_lsh_folder(store, f)
        _check_documents(store, segments, f)
        if f.unnamed:
            f.problems.append(f"{f.unnamed} more documents have problems like those above")
        _check_counts(store, f)
    return f


def _check_segments(store: SQLiteStore, f: _Findings) -> list[Segment]:
    good = []
    for seg_id, name, entries, layout in store._db.execute(
            "SELECT id, file, entries, layout FROM segments ORDER BY id").fetchall():
        try:
            seg = store._open_segment(seg_id, name, entries, layout)
            for band in seg.bands:
                if band.directory is not None:
                    d = np.asarray(band.directory, dtype=np.int64)
                    if d[0] != 0 or d[-1] != len(band) or (np.diff(d) < 0).any():
                        raise BadIndexFile(f"segment {name}: a bucket directory does not "
                                           "add up")
            good.append(seg)
        except (CheckerError, BadIndexFile, FileNotFoundError, ValueError) as exc:
            why = "its file is missing" if isinstance(exc, FileNotFoundError) else str(exc)
            f.problems.append(why if str(name) in why else f"segment {str(name)[:80]!r}: {why}")
            f.bad_segments.append(seg_id)
    return good


def _check_lsh_folder(store: SQLiteStore, f: _Findings) -> None:
    lsh = store.directory / LSH_DIR
    if not lsh.is_dir():
        return
    known = {r[0] for r in store._db.execute("SELECT file FROM segments")}
    for entry in sorted(os.scandir(lsh), key=lambda e: e.name):
        if entry.name in known:
            continue
        if SEGMENT_NAME.fullmatch(entry.name) or TEMP_NAME.fullmatch(entry.name):
            f.notes.append(f"{LSH_DIR}/{entry.name}: a segment file nobody registered (left "
                           "by an interrupted write; the next add or --repair deletes it)")
            f.orphans.append(entry.name)
        else:
            f.problems.append(f"{LSH_DIR}/{entry.name[:80]}: not a file of this index; "
                              "move it away")


def _check_documents(store: SQLiteStore, segments: list[Segment], f: _Findings) -> None:
    db = store._db
    rows = db.execute(f"SELECT num, {', '.join(COLUMNS)}, entries FROM documents ORDER BY num"
                      ).fetchall()
    f.documents = len(rows)
    good: list[tuple[int, DocumentRecord, int, str]] = []
    for row in rows:
        num, values, entries = row[0], row[1:-1], row[-1]
        try:
            rec = record_from_row(values)
            found = db.execute("SELECT body, size FROM texts WHERE num = ?", (num,)).fetchone()
            if found is None:
                raise BadIndexFile(f"document {rec.key!r} has no stored text")
            body, size = found
            try:
                text = store._codec.read(db, body, size).decode("utf-8")
            except (zstandard.ZstdError, ValueError) as exc:  # UnicodeDecodeError too
                raise BadIndexFile(f"document {rec.key!r}: its stored text is unreadable "
                                   f"({str(exc)[:100]})") from None
            good.append((num, rec, entries, text))
        except BadIndexFile as exc:
            f.document(f"{exc}; it must be added again")
            f.drop[num] = str(exc)
    (strays,) = db.execute("SELECT count(*) FROM texts WHERE num NOT IN "
                           "(SELECT num FROM documents)").fetchone()
    if strays:
        f.problems.append(f"{strays} stored texts belong to no document")
        f.stray_texts = strays
    (bad,) = db.execute("SELECT count(*) FROM tombstones WHERE num IN (SELECT num FROM "
                        "documents) OR typeof(entries) != 'integer' OR entries < 0").fetchone()
    if bad:
        f.problems.append(f"{bad} removal records (tombstones) are inconsistent")
        f.bad_tombstones = bad
    if store._has_stories:
        (strays,) = db.execute("SELECT count(*) FROM stories WHERE num NOT IN "
                               "(SELECT num FROM documents)").fetchone()
        if strays:
            f.problems.append(f"{strays} story sketches belong to no document")
            f.stray_stories = strays
    for i in range(0, len(good), BATCH):
        _check_entries(store, segments, good[i : i + BATCH], f)
        if store._has_stories:
            _check_stories(store, good[i : i + BATCH], f)
    if f.bad_stories:
        f.problems.append(f"{len(f.bad_stories)} story sketches are malformed or not their "
                          "documents' (computed again from the texts on repair)")


def _check_stories(store: SQLiteStore, docs: list[tuple[int, DocumentRecord, int, str]],
                   f: _Findings) -> None:
    """The stored story sketches of ``docs`` (number, record, entries, text) against the
    ones their texts give; a document without one (added before they were stored) is
    fine. Bounded: a blob longer than any sketch, or a value that is not a blob, is not
    read (it is not its document's sketch)."""
    nums = [num for num, _, _, _ in docs]
    stored = dict(store._db.execute(
        "SELECT num, CASE WHEN typeof(sketch) = 'blob' AND length(sketch) <= ? THEN sketch END"
        " FROM stories "
        f"WHERE num IN ({','.join('?' * len(nums))})", [MAX_BYTES, *nums]).fetchall())
    have = [d for d in docs if d[0] in stored]
    for (num, _, _, _), blob in zip(have, story_sketches([t for _, _, _, t in have]),
                                      strict=True):
        if stored[num] != blob:
            f.bad_stories[num] = blob


def _check_entries(store: SQLiteStore, segments: list[Segment],
                   batch: list[tuple[int, DocumentRecord, int, str]], f: _Findings) -> None:
    """Every LSH entry of each document, recomputed from its stored text, is there."""
    keys, nums = [], []
    for num, rec, entries, text in batch:
        try:
            k, words = source_keys(text, rec.mask, store.params)
        except (ValueError, IndexError):
            f.document(f"document {rec.key!r}: its mask does not fit its text; it must be "
                       "added again")
            f.drop[num] = "mask"
            continue
        distinct = np.unique(k.ravel())
        if words != rec.words or k.shape[0] != rec.passages or len(distinct) != entries:
            f.document(f"document {rec.key!r}: its counts do not match its text")
            f.reindex.append((dataclasses.replace(rec, words=words, passages=k.shape[0]), text))
            continue
        keys.append(distinct)
        nums.append(np.full(len(distinct), num, dtype=np.int64))
    if not keys:
        return
    flat, owners = np.concatenate(keys), np.concatenate(nums)
    unique, inverse = np.unique(flat, return_inverse=True)
    owner, docs = lookup(segments, unique)
    found = np.unique(owner.astype(np.int64) << 32 | docs.astype(np.int64))
    want = inverse.astype(np.int64) << 32 | owners
    missing = owners[~np.isin(want, found)]
    by_num = {num: (rec, text) for num, rec, _, text in batch}
    for num, n in zip(*np.unique(missing, return_counts=True), strict=True):
        rec, text = by_num[int(num)]
        f.document(f"document {rec.key!r}: {n} of its LSH entries are missing")
        f.reindex.append((rec, text))


def _check_counts(store: SQLiteStore, f: _Findings) -> None:
    (live,) = store._db.execute("SELECT coalesce(sum(entries), 0) FROM documents").fetchone()
    stats = store.stats()
    if stats.lsh_entries != live and not f.bad_segments:
        f.problems.append(f"the index counts {stats.lsh_entries} LSH entries, its documents "
                          f"{live}")
        f.recount = True


def _repair(store: SQLiteStore, f: _Findings, report: CheckReport) -> None:
    db = store._db
    with store._transaction():
        db.executemany("DELETE FROM segments WHERE id = ?", [(i,) for i in f.bad_segments])
        for seg_id in f.bad_segments:
            report.repaired.append(f"dropped segment {seg_id}; its documents are re-indexed")
        remove_unregistered(store.directory / LSH_DIR,
                            {r[0] for r in db.execute("SELECT file FROM segments")})
        if f.orphans:
            report.repaired.append(f"deleted {len(f.orphans)} unregistered segment files")
        for num, why in f.drop.items():
            store._tombstone(num)
            report.repaired.append(f"dropped a document ({why}); add it again")
        if f.stray_texts:
            db.execute("DELETE FROM texts WHERE num NOT IN (SELECT num FROM documents)")
            report.repaired.append(f"deleted {f.stray_texts} stray stored texts")
        if f.stray_stories:
            db.execute("DELETE FROM stories WHERE num NOT IN (SELECT num FROM documents)")
            report.repaired.append(f"deleted {f.stray_stories} stray story sketches")
        if f.bad_stories:
            db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?)",
                           [(n, b) for n, b in f.bad_stories.items() if n not in f.drop])
            report.repaired.append(f"computed {len(f.bad_stories)} story sketches again")
        if f.bad_tombstones:
            db.execute("DELETE FROM tombstones WHERE num IN (SELECT num FROM documents) OR "
                       "typeof(entries) != 'integer' OR entries < 0")
            report.repaired.append(f"deleted {f.bad_tombstones} inconsistent tombstones")
    store._seg_cache = None
    if f.bad_segments:  # every document that had entries there
        f.reindex = _all_documents(store)
    if f.reindex:
        prepared = []
        for rec, text in f.reindex:
            keys, _ = source_keys(text, rec.mask, store.params)
            prepared.append(PreparedDocument(record=rec, text=text, keys=keys.ravel()))
        for i in range(0, len(prepared), BATCH):
            store.write(prepared[i : i + BATCH], merge=False)
        report.repaired.append(f"re-indexed {len(prepared)} documents from their stored text")
    store.compact()  # drops what removals left and makes the counts exact
    report.repaired.extend(store.take_warnings())


def _all_documents(store: SQLiteStore) -> list[tuple[DocumentRecord, str]]:
    docs = store.documents()
    texts = store.texts([d.id for d in docs])
    return [(d, texts[d.id]) for d in docs if d.id in texts]


__all__ = ["CheckReport", "check_index"]
