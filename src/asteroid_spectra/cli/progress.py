"""Rich progress bars for the CLI."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

__all__ = ["FileBar", "download_progress", "step_progress"]


def download_progress(console: Console) -> Progress:
    """Return a progress display for file transfers (bytes, speed, time left)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def step_progress(console: Console) -> Progress:
    """Return a progress display for counted steps (folds, seeds), with elapsed time."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


class FileBar:
    """One file's task in a rich :class:`Progress`, speaking pooch's progress-bar protocol."""

    def __init__(self, progress: Progress, description: str) -> None:
        self._progress = progress
        self._task: TaskID = progress.add_task(description, total=None)
        self._total = 0

    @property
    def total(self) -> int:
        """Expected number of bytes."""
        return self._total

    @total.setter
    def total(self, value: int) -> None:
        self._total = value
        self._progress.update(self._task, total=value or None)

    def update(self, n: int) -> Any:
        """Advance by `n` bytes."""
        self._progress.advance(self._task, n)

    def reset(self) -> Any:
        """Go back to zero."""
        self._progress.reset(self._task, total=self._total or None)

    def close(self) -> Any:
        """Mark the file done."""
        self._progress.update(self._task, completed=self._total, total=self._total or 1)
