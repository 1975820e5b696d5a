"""Checking an evidence file before it is kept: its size, and its type read
from its content (the magic bytes, with `filetype`), never from its name or the
browser's say-so. The name's extension must agree with the content, so a PDF
renamed .exe and a program renamed .pdf are both refused."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import filetype  # type: ignore[import-untyped]  # no type information shipped
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# The type found in the content -> the extensions a file of that type may have.
# The old Office formats share one container (OLE), which filetype cannot
# always tell apart: any of the three names is accepted for any of them.
_OLE = {"doc", "xls", "ppt"}
ALLOWED: dict[str, set[str]] = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "odp": {"odp"},
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
}
ALLOWED_NAMES = sorted(set().union(*ALLOWED.values()))
KINDS_HINT = "a PDF, a photograph (JPEG or PNG), or a Word, Excel or PowerPoint document"
# Enough of the start of a file for every matcher (filetype reads 8 KB; the
# Office Open XML matchers look for a part's name within the first few KB).
HEAD_BYTES = 8192


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def size_label(size: int) -> str:
    """10 MB, 250 KB: as people write a file's size."""
    if size >= 1024 * 1024:
        megabytes = f"{size / (1024 * 1024):,.1f}".removesuffix(".0")
        return f"{megabytes} MB"
    return f"{max(1, round(size / 1024)):,} KB"


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the user's file name, without any folder
    extension: str  # as found in the content
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload's name, type and size, or a ValidationError saying what is wrong."""
    name = PurePath((upload.name or "").replace("\\", "/")).name[-200:] or "evidence"
    size = int(upload.size or 0)
    if size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > max_bytes():
        raise ValidationError(
            "The selected file must be smaller than %(limit)s (it is %(size)s)",
            code="too_big",
            params={"limit": size_label(max_bytes()), "size": size_label(size)},
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if kind is None or kind.extension not in ALLOWED:
        raise ValidationError(
            "The selected file must be %(kinds)s",
            code="type",
            params={"kinds": KINDS_HINT},
        )
    if suffix not in ALLOWED[kind.extension]:
        raise ValidationError(
            "The selected file's name ends .%(suffix)s but it is a %(found)s file: "
            "upload it with its real name",
            code="mismatch",
            params={"suffix": suffix or "(nothing)", "found": kind.extension.upper()},
        )
    return CheckedFile(name=name, extension=kind.extension, content_type=kind.mime, size=size)
