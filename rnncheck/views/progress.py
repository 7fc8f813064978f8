"""A progress line on stderr for batches: done / total, not passing so far, time left.

Shown only on a terminal, never with ``NO_COLOR`` or ``--quiet``; it is
redrawn in place and erased when the batch ends, so it never mixes with the
verdicts on stdout.
"""
import os
import time

WIDTH = 24


def wanted(stream, quiet=False):
    """A progress line belongs on ``stream`` only if it is a terminal and nobody asked for quiet."""
    return not quiet and not os.environ.get("NO_COLOR") and _isatty(stream)


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def render(done, total, failing, elapsed):
    """One line: ``[#####-----] 12/20 checked, 3 not passing, about 8 s left``."""
    filled = WIDTH * done // total if total else WIDTH
    bar = "#" * filled + "-" * (WIDTH - filled)
    line = f"[{bar}] {done}/{total} checked, {failing} not passing"
    if 0 < done < total:
        line += f", about {_duration(elapsed / done * (total - done))} left"
    return line


def _duration(seconds):
    seconds = round(seconds)
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


class Progress:
    """Counts finished verdicts and redraws the line on ``stream``."""

    def __init__(self, stream, total, clock=time.monotonic):
        self.stream, self.total, self.clock = stream, total, clock
        self.done = self.failing = 0
        self.start = clock()
        self._draw()

    def update(self, verdict):
        self.done += 1
        self.failing += not verdict["passed"]
        self._draw()

    def close(self):
        """Erase the line."""
        self.stream.write("\r\033[K")
        self.stream.flush()

    def _draw(self):
        self.stream.write("\r" + render(self.done, self.total, self.failing, self.clock() - self.start) + "\033[K")
        self.stream.flush()
