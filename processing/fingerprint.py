"""Near-duplicate fingerprints of article text: MinHash over shingles, and their LSH bands.

A fingerprint is the MinHash signature (:data:`PERMUTATIONS` 32-bit minima) of the text's
shingles: runs of :data:`WORDS` words, or of :data:`CHARS` letters for text written mostly in a
script without spaces between words (Chinese, Japanese, Korean, Thai, ...). The share of equal
minima between two signatures estimates the Jaccard similarity of the two shingle sets
(:func:`similarity`). Two texts are near duplicates when it is at least :data:`THRESHOLD`.

:func:`band_keys` cuts a signature into :data:`BANDS` bands of :data:`ROWS` minima and gives
each one key (its hash and number): texts that share a band key are candidates
(locality-sensitive hashing). With 42 bands of 3, a pair with similarity 0.4 shares a band with
probability 0.94, one with 0.5 with 0.996, one with 0.2 with 0.29 and one with 0.1 with 0.04;
candidates are then checked with the whole signature.

The title is left out: a republished wire story often carries a new headline. A text with fewer
than :data:`MIN_SHINGLES` shingles gets no fingerprint (too short to tell a copy from a
caption). Every hash is derived from fixed constants, so fingerprints are equal across
processes, machines and runs.

A fingerprint is stored as the signature's 512 bytes (:func:`to_bytes`); databases written
before that hold the same signature as text, ``m1:`` + base64 (:func:`as_text`), and
:func:`decode` reads both. :func:`band_keys` gives each band one integer key (band hash and band
number together), so that finding candidates is one index lookup per key.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
import zlib

import numpy as np

PERMUTATIONS = 128
BANDS = 42
ROWS = 3  # BANDS * ROWS <= PERMUTATIONS
WORDS = 3  # words per shingle
CHARS = 4  # letters per shingle, for scripts without spaces
MIN_SHINGLES = 20
THRESHOLD = 0.4  # estimated Jaccard similarity of shingle sets
PREFIX = "m1:"  # the fingerprint scheme of the text form; another would use another prefix
SIZE = PERMUTATIONS * 4  # bytes of a stored signature

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words (or, for Hangul, with particles attached).
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1100-\u11ff\u3040-\u30ff\u3130-\u318f"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def _constants(label: str, count: int) -> np.ndarray:
    """``count`` fixed 64-bit numbers derived from ``label`` (odd, for multiplication)."""
    out = np.empty(count, dtype=np.uint64)
    for i in range(count):
        digest = hashlib.sha256(f"{label}:{i}".encode()).digest()
        out[i] = int.from_bytes(digest[:8], "little") | 1
    return out


_A = _constants("minhash-a", PERMUTATIONS)[:, None]
_B = _constants("minhash-b", PERMUTATIONS)[:, None]
_MIX = _constants("shingle", max(WORDS, CHARS))
_BAND_MIX = _constants("band", ROWS)
_SHIFT = np.uint64(32)
_CHUNK = 8192  # shingles hashed at once (8 MiB of numbers)
_BAND_BITS = np.uint64(63)  # the low bits of a band key hold the band number (BANDS <= 64)
_BAND_NUMBERS = np.arange(BANDS, dtype=np.uint64)


def _finalise(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: spreads every input bit over the 64-bit result."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _units(text: str) -> tuple[list[str], int]:
    """The text's shingle units and shingle size: its words, or its letters when most are in
    a script without spaces."""
    if text.isascii():
        return _WORD.findall(text.lower()), WORDS
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    sample = "".join(words[:1000])
    if sample and len(_UNSPACED.findall(sample)) * 2 > len(sample):
        return list("".join(words)), CHARS
    return words, WORDS


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of the text's shingles (normalised: NFKC, case folded,
    punctuation and spacing ignored)."""
    units, size = _units(text)
    if len(units) < size:
        return np.empty(0, dtype=np.uint64)
    crc = {u: zlib.crc32(u.encode()) for u in set(units)}
    codes = np.fromiter((crc[u] for u in units), np.uint64, len(units))
    count = len(units) - size + 1
    keys = codes[:count] * _MIX[0]
    for i in range(1, size):
        keys += codes[i : i + count] * _MIX[i]
    return np.unique(_finalise(keys))


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of ``text`` (uint32 values), or None when it is too short."""
    hashes = shingle_hashes(text or "")
    if len(hashes) < MIN_SHINGLES:
        return None
    # multiply-shift hashing, one row per permutation (arithmetic modulo 2**64); the high 32
    # bits of the minimum are the minimum of the high 32 bits. In chunks, so that a huge text
    # needs at most PERMUTATIONS x _CHUNK numbers at a time.
    minima = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashes), _CHUNK):
        values = np.multiply(_A, hashes[None, start : start + _CHUNK])
        np.add(values, _B, out=values)
        np.minimum(minima, values.min(axis=1), out=minima)
    return (minima >> _SHIFT).astype(np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    """A signature as stored in the ``fingerprint`` column: :data:`SIZE` bytes."""
    return sig.astype("<u4").tobytes()


def as_text(fingerprint: bytes) -> str:
    """A stored fingerprint (bytes) in its text form: the form of databases written before
    the bytes, and of an article as JSON."""
    return PREFIX + base64.b64encode(fingerprint).decode("ascii")


def decode(fingerprint: bytes | str | None) -> np.ndarray | None:
    """The signature of a stored fingerprint, bytes or text (None for none or another
    scheme)."""
    if isinstance(fingerprint, bytes):
        return np.frombuffer(fingerprint, dtype="<u4") if len(fingerprint) == SIZE else None
    if not fingerprint or not fingerprint.startswith(PREFIX):
        return None
    sig = np.frombuffer(base64.b64decode(fingerprint[len(PREFIX) :]), dtype="<u4")
    return sig if len(sig) == PERMUTATIONS else None


def fingerprint(text: str | None) -> bytes | None:
    """The stored fingerprint of an article's text, or None when it is too short to judge."""
    sig = signature(text or "")
    return None if sig is None else to_bytes(sig)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def _band_hashes(sig: np.ndarray) -> np.ndarray:
    """The hash of each LSH band of a signature (uint64)."""
    rows = sig[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    return _finalise((rows * _BAND_MIX[None, :]).sum(axis=1, dtype=np.uint64))


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band: the band hash with its low bits replaced by the
    band number, so equal keys mean the same band of equal values (the index of
    ``corpus.neardup``)."""
    keys = (_band_hashes(sig) & ~_BAND_BITS) | _BAND_NUMBERS
    return keys.view(np.int64).tolist()


def found_probability(similarity: float) -> float:
    """The chance that two texts of this estimated similarity share an LSH band."""
    return 1 - (1 - similarity**ROWS) ** BANDS
