"""The backup archive: one uncompressed tar holding

- `manifest.json`: when and by which version it was made, the migrations
  applied, every table's row count, and a SHA-256 of every other member;
- `database.dump` (PostgreSQL, `pg_dump -Fc`, already compressed) or
  `database.sqlite3` (the demo);
- `media/...`: the stored files the database names (monthly packs, uploads
  still needed).

The manifest is what a restore checks against: it refuses an archive made by
newer code, and verifies the counts and checksums after restoring."""

from __future__ import annotations

import hashlib
import json
import platform
import tarfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any

import django

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be used: the message says why."""


@dataclass
class Manifest:
    created_at: str
    database_vendor: str
    database_member: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]
    checksums: dict[str, str]
    media_root: str
    format: int = FORMAT
    app_version: str = ""
    django_version: str = ""
    python_version: str = ""
    database_version: str = ""
    tool_version: str = ""
    left_out: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw: dict[str, Any] = json.loads(data)
        except ValueError as exc:
            raise ArchiveError(f"The manifest is not valid JSON: {exc}") from None
        if raw.get("format") != FORMAT:
            raise ArchiveError(f"Unknown backup format {raw.get('format')!r} (expected {FORMAT}).")
        try:
            return cls(**raw)
        except TypeError as exc:
            raise ArchiveError(f"The manifest is incomplete: {exc}") from None

    @property
    def media_members(self) -> list[str]:
        return sorted(name for name in self.checksums if name.startswith(MEDIA_PREFIX))


def versions() -> dict[str, str]:
    try:
        app = metadata.version("homecare")
    except metadata.PackageNotFoundError:
        app = "unknown"
    return {
        "app_version": app,
        "django_version": django.get_version(),
        "python_version": platform.python_version(),
    }


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_member(name: str) -> PurePosixPath:
    """A member name that stays inside the folder it is extracted to."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveError(f"Unsafe path in the archive: {name!r}")
    return path


def write_archive(target: Path, manifest: Manifest, members: dict[str, Path]) -> None:
    """Write the tar: the manifest first, so a restore reads it without
    scanning the whole file. `members` maps archive names to files."""
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        data = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(time.time())
        tar.addfile(info, BytesIO(data))
        for name, path in members.items():
            safe_member(name)
            tar.add(path, arcname=name, recursive=False)


def read_manifest(archive: Path) -> Manifest:
    if not archive.is_file():
        raise ArchiveError(f"No such backup file: {archive}")
    try:
        with tarfile.open(archive, "r:") as tar:
            member = tar.getmember(MANIFEST)
            stream = tar.extractfile(member)
            if stream is None:
                raise ArchiveError("The manifest is not a file.")
            return Manifest.from_json(stream.read())
    except (tarfile.TarError, KeyError) as exc:
        raise ArchiveError(f"{archive} is not a backup archive ({exc}).") from None


def extract_checked(archive: Path, manifest: Manifest, folder: Path) -> None:
    """Extract every member the manifest lists into `folder` and check its
    SHA-256: a damaged or altered archive is refused before anything is
    restored."""
    with tarfile.open(archive, "r:") as tar:
        names = set(tar.getnames())
        missing = sorted(set(manifest.checksums) - names)
        if missing:
            raise ArchiveError(f"The archive lacks {', '.join(missing[:5])}.")
        for name in manifest.checksums:
            safe_member(name)
            member = tar.getmember(name)
            if not member.isfile():
                raise ArchiveError(f"{name} is not a regular file.")
            tar.extract(member, folder, filter="data")
    for name, expected in manifest.checksums.items():
        if sha256(folder / name) != expected:
            raise ArchiveError(f"{name} does not match its checksum: the archive is damaged.")
