"""The progress line: what it says, and where it is (not) drawn."""
from rnncheck.views import progress


class Terminal:
    def __init__(self, tty=True):
        self.tty, self.written = tty, []

    def isatty(self):
        return self.tty

    def write(self, text):
        self.written.append(text)

    def flush(self):
        pass


def test_render_shows_done_total_failures_and_time_left():
    assert progress.render(5, 20, 2, 10.0) == (
        "[######------------------] 5/20 checked, 2 not passing, about 30 s left")


def test_time_left_in_minutes_and_none_at_the_ends():
    assert "about 2 min 15 s left" in progress.render(1, 10, 0, 15.0)
    assert "left" not in progress.render(0, 10, 0, 0.0)
    assert progress.render(10, 10, 3, 99.0) == f"[{'#' * progress.WIDTH}] 10/10 checked, 3 not passing"


def test_progress_redraws_in_place_and_erases_itself():
    ticks = iter([0.0, 0.0, 4.0, 6.0])  # start, first draw, two updates
    terminal = Terminal()
    shown = progress.Progress(terminal, 3, clock=lambda: next(ticks))
    shown.update({"passed": False})
    shown.update({"passed": True})
    shown.close()
    assert terminal.written[0].startswith("\r[----") and "0/3 checked" in terminal.written[0]
    assert "1/3 checked, 1 not passing, about 8 s left" in terminal.written[1]
    assert "2/3 checked, 1 not passing, about 3 s left" in terminal.written[2]
    assert terminal.written[-1] == "\r\033[K"


def test_wanted_only_on_a_terminal_without_no_color_or_quiet(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert progress.wanted(Terminal())
    assert not progress.wanted(Terminal(tty=False))
    assert not progress.wanted(Terminal(), quiet=True)
    assert not progress.wanted(object())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not progress.wanted(Terminal())
