"""A bounded ``multipart/form-data`` reader for validation (RFC 7578): parts, sizes, names, filenames.

Hand-written rather than python-multipart (not a dependency) because validation needs only the part
headers and sizes of an already bounded body, and counting as it splits lets it stop at the first
limit instead of materialising thousands of parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

__all__ = ["MultipartError", "MultipartLimits", "Part", "read_parts"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MultipartLimits:
    max_parts: int = 100
    max_part_bytes: int = 10 * 1024 * 1024
    max_header_bytes: int = 8192
    max_filename: int = 255
    allowed_extensions: frozenset[str] = frozenset()  # empty = any


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    size: int


class MultipartError(Exception):
    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.message = message


def _boundary(content_type: str) -> bytes:
    msg = Message()
    msg["content-type"] = content_type
    boundary = msg.get_param("boundary")
    if not isinstance(boundary, str) or not 1 <= len(boundary) <= 70:
        raise MultipartError("syntax", "multipart body without a valid boundary")
    return boundary.encode("latin-1")


def _check_filename(filename: str, limits: MultipartLimits) -> None:
    if len(filename) > limits.max_filename:
        raise MultipartError("filename", f"a filename is longer than {limits.max_filename} characters")
    if any(c in filename for c in "/\\\x00") or filename in (".", "..") or any(ord(c) < 0x20 for c in filename):
        raise MultipartError("filename", "a filename contains a path or control characters")
    if limits.allowed_extensions:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext not in limits.allowed_extensions:
            raise MultipartError("filename", "a file type is not allowed")


def read_parts(body: bytes, content_type: str, limits: MultipartLimits) -> list[Part]:
    delimiter = b"--" + _boundary(content_type)
    start = body.find(delimiter)
    if start < 0:
        raise MultipartError("syntax", "multipart body without its boundary")
    parts: list[Part] = []
    pos = start + len(delimiter)
    while True:
        if body[pos : pos + 2] == b"--":
            return parts
        if body[pos : pos + 2] != b"\r\n":
            raise MultipartError("syntax", "malformed multipart delimiter")
        pos += 2
        end = body.find(b"\r\n" + delimiter, pos)
        if end < 0:
            raise MultipartError("syntax", "multipart body is truncated")
        if len(parts) >= limits.max_parts:
            raise MultipartError("parts", f"more than {limits.max_parts} parts")
        head_end = body.find(b"\r\n\r\n", pos, end)
        if head_end < 0 or head_end - pos > limits.max_header_bytes:
            raise MultipartError("syntax", "malformed or oversized part headers")
        msg = Message()
        for line in body[pos:head_end].decode("utf-8", "replace").split("\r\n"):
            name, sep, value = line.partition(":")
            if not sep:
                raise MultipartError("syntax", "malformed part header")
            msg[name.strip()] = value.strip()
        disposition = msg.get("content-disposition")
        if disposition is None or not disposition.lower().startswith("form-data"):
            raise MultipartError("syntax", "a part without Content-Disposition: form-data")
        field = msg.get_param("name", header="content-disposition")
        filename = msg.get_param("filename", header="content-disposition")
        if not isinstance(field, str):
            raise MultipartError("syntax", "a part without a name")
        size = end - (head_end + 4)
        if size > limits.max_part_bytes:
            raise MultipartError("part_size", f"a part is larger than {limits.max_part_bytes} bytes")
        if isinstance(filename, str):
            _check_filename(filename, limits)
        parts.append(Part(field, filename if isinstance(filename, str) else None, msg.get("content-type"), size))
        pos = end + 2 + len(delimiter)
