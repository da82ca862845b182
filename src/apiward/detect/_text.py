"""Bytes to text without surprises: invalid and overlong UTF-8 are repaired (and reported), never raised."""

from __future__ import annotations

__all__ = ["bytes_to_text"]


def _fold_overlong(data: bytes) -> tuple[bytes, bool]:
    """Replace overlong UTF-8 encodings of ASCII (``C0 AF`` for ``/``, ``E0 80 AE`` for ``.``) by the ASCII byte.

    Decoders that accept overlong forms are how ``%c0%af`` became ``/`` in old path-traversal attacks, so the
    engine sees the character the most lenient decoder would see. Hand-written because codecs only reject them.
    """
    out = bytearray()
    found = False
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b in (0xC0, 0xC1) and i + 1 < n and 0x80 <= data[i + 1] <= 0xBF:
            out.append(((b & 0x1F) << 6 | (data[i + 1] & 0x3F)) & 0x7F)
            found = True
            i += 2
            continue
        if b == 0xE0 and i + 2 < n and 0x80 <= data[i + 1] <= 0x9F and 0x80 <= data[i + 2] <= 0xBF:
            cp = (data[i + 1] & 0x3F) << 6 | (data[i + 2] & 0x3F)
            if cp < 0x80:
                out.append(cp)
                found = True
                i += 3
                continue
        out.append(b)
        i += 1
    return bytes(out), found


def bytes_to_text(data: bytes) -> tuple[str, bool]:
    """Decode ``data`` as UTF-8; return the text and whether it was invalid (repaired with U+FFFD)."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    folded, _ = _fold_overlong(data)
    return folded.decode("utf-8", errors="replace"), True
