"""A progress bar for long CLI commands that stays out of the way of short ones."""
from __future__ import annotations

import sys
import time
from typing import Any

import click


class LateProgress:
    """A bar on stderr over `length` steps, shown only once the work has taken more than a second (and only on a
    terminal), so a quick command and a script's captured output print nothing extra.

    Call it once per step (it ignores any argument, so it can be passed as a callback); `close()` when done.
    """

    def __init__(self, length: int, label: str) -> None:
        self.length, self.label = length, label
        self.started, self.done, self.bar = time.monotonic(), 0, None

    def __call__(self, *_step: Any) -> None:
        self.done += 1
        if self.bar is None and time.monotonic() - self.started > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=self.length, label=self.label, file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(self.done - 1)
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
