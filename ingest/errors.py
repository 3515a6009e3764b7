"""The one error ingest raises for bad input: it names the file and the reason."""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal["too_large", "not_activity", "unreadable", "no_track"]

HTTP_STATUS: dict[str, int] = {
    "too_large": 413,
    "not_activity": 415,
    "unreadable": 422,
    "no_track": 422,
}


class IngestError(Exception):
    """A file that cannot become an activity. ``kind`` decides the HTTP status."""

    def __init__(
        self, reason: str, *, kind: ErrorKind = "unreadable", file_name: str | None = None
    ):
        self.reason = reason
        self.kind: ErrorKind = kind
        self.file_name = file_name
        super().__init__(str(self))

    def named(self, file_name: str) -> IngestError:
        """The same error, naming the file."""
        return IngestError(self.reason, kind=self.kind, file_name=file_name)

    @property
    def status_code(self) -> int:
        return HTTP_STATUS[self.kind]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.reason}" if self.file_name else self.reason

    def __reduce__(self):  # type: ignore[no-untyped-def]  # picklable across a process pool
        return (_rebuild, (self.reason, self.kind, self.file_name))


def _rebuild(reason: str, kind: ErrorKind, file_name: str | None) -> IngestError:
    return IngestError(reason, kind=kind, file_name=file_name)
