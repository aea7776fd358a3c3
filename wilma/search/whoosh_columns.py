"""Whoosh 2.7's per-document columns, read at the cost they deserve.

Segment files never change once written, yet Whoosh asks them again and again:

- it caches a segment's lengths columns but not their absence, so writing a segment asked the disk
  (``stat``) again for every posting of a field without lengths (key, type, acl, dates): about a sixth
  of the indexing time;
- it reads a document's field length (one byte) with a seek and a read each time, for every posting
  it writes (a tenth of a rebuild) and for every document it scores.

Here a missing column is remembered too, and a lengths column is read once, in one piece
(:func:`length_bytes`), then answered from memory: one byte per document and field.
"""

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

_MISSING = object()


def length_bytes(perdoc, fieldname: str, size: int) -> bytes | None:
    """The length byte of ``fieldname`` for each of the ``size`` documents of a segment, or ``None``
    where the column cannot be read in one piece (another codec: callers then ask Whoosh per document)."""
    try:
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # noqa: SLF001
        if column is None or column._fixedlen != 1:  # noqa: SLF001
            return None
        raw = column._dbfile.get(column._basepos, min(column._count, size))  # noqa: SLF001
    except AttributeError:
        return None
    return raw + bytes(size - len(raw))


def _patch() -> None:
    if getattr(W3PerDocReader, "wilma_patched", False):
        return
    original_reader = W3PerDocReader._cached_reader  # noqa: SLF001
    original_length = W3PerDocReader.doc_field_length

    def cached_reader(self, fieldname, column):
        readers = self._readers  # noqa: SLF001
        if fieldname in readers:
            return readers[fieldname]
        reader = original_reader(self, fieldname, column)
        readers[fieldname] = reader
        return reader

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.__dict__.setdefault("_wilma_lengths", {})
        column = lengths.get(fieldname, _MISSING)
        if column is _MISSING:
            column = lengths[fieldname] = length_bytes(self, fieldname, self._doccount)  # noqa: SLF001
        if column is None or docnum >= len(column) or not column[docnum]:
            return original_length(self, docnum, fieldname, default)  # Whoosh's own answer (and errors)
        return byte_to_length(column[docnum])

    W3PerDocReader._cached_reader = cached_reader  # noqa: SLF001
    W3PerDocReader.doc_field_length = doc_field_length
    W3PerDocReader.wilma_patched = True


_patch()
