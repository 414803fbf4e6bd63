"""A feed's body kept as gzip segments, one per month, so that a change re-compresses only
the months it touches.

Each segment is compressed on its own as raw deflate ending in a sync flush (byte-aligned,
not final); one gzip member is then the header, the segments one after the other, an empty
final block and the trailer, whose CRC-32 is combined from the segments' (``crc32_combine``,
as zlib computes it). Any gzip reader reads it as one stream; nothing is held uncompressed
but the small feeds' identity bodies (``KEEP_IDENTITY``), and the rare client that does not
take gzip gets the body decompressed on request.

The strong ETag is a digest of the segments' own SHA-256 digests: it changes exactly when a
segment's bytes do.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from typing import NamedTuple

KEEP_IDENTITY = 1 << 20  # bodies up to 1 MiB are also kept as they are (the example config's all are)
LEVEL = 6
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, mtime 0, unknown OS: the same bytes every time
_FINAL = b"\x03\x00"  # an empty final block with fixed codes
_POLY = 0xEDB88320


class Segment(NamedTuple):
    deflate: bytes  # raw deflate, sync-flushed
    crc: int
    size: int
    digest: bytes  # SHA-256 of the uncompressed bytes


def segment(data: bytes) -> Segment:
    c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Segment(c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(data), len(data),
                   hashlib.sha256(data).digest())


def _multmodp(a: int, b: int) -> int:
    """a·b modulo the CRC-32 polynomial (bit-reflected), as zlib's multmodp."""
    m = 1 << 31
    p = 0
    while True:
        if a & m:
            p ^= b
            if not a & (m - 1):
                break
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


def _x2n_table() -> list[int]:
    p = 1 << 30  # x^1
    table = [p]
    for _ in range(1, 32):
        p = _multmodp(p, p)
        table.append(p)
    return table


_X2N = _x2n_table()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    p = 1 << 31  # x^0
    k = 3
    n = len2
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2


def gzip_of(segments: Iterable[Segment]) -> bytes:
    """One gzip member made of the segments, in order."""
    parts = [_HEADER]
    crc = 0
    size = 0
    for s in segments:
        parts.append(s.deflate)
        crc = crc32_combine(crc, s.crc, s.size) if size else s.crc
        size += s.size
    parts.append(_FINAL)
    parts.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(parts)


def etag_of(segments: Iterable[Segment]) -> str:
    return hashlib.sha256(b"".join(s.digest for s in segments)).hexdigest()[:32]


def identity(gz: bytes) -> bytes:
    return zlib.decompress(gz, 31)
