"""Read a submission (.py, .ipynb, exported notebook text) into checkable source.

Nothing here runs the submission: it is parsed, never executed.  The result
names the top-level statements worth running (imports, definitions and the
assignments those definitions need), what could not be parsed and which
functions are unimplemented stubs.  The worker executes the kept statements
one by one, each guarded.
"""
import ast
import codecs
import io
import json
import re
import tokenize
from dataclasses import dataclass, field

from . import policy
from .statements import select
from .syntax import nodes

MAGIC = re.compile(r"^(\s*)([%!].*|[\w.]+\?\??\s*)$")
IN_MARKER = re.compile(r"^\s*In\s*\[[^\]]*\]:?\s*$")
OUT_MARKER = re.compile(r"^\s*Out\s*\[[^\]]*\]:")
DEF_LINE = re.compile(r"^(?:async\s+)?(?:def|class)\s+(\w+)")
TEXT_CELL_MAGICS = ("%%time", "%%timeit", "%%capture", "%%prun")
MAX_BYTES = 32 << 20  # notebooks with embedded plots reach a few MiB; /dev/zero never ends
GUESSES = ("gb18030", "latin-1")  # tried in order on source that is not UTF-8 and declares nothing
CONTROL = re.compile(r"[\x00-\x07\x0e-\x1a\x1c-\x1f\x7f]")  # not in text (\b and ESC are: progress bars, colours)


class UnreadableSubmission(Exception):
    """The file is not a submission we can read (binary, a notebook not in UTF-8, bad JSON...)."""


@dataclass
class Source:
    """A submission ready for the worker.

    - text: Python source; magics and unparseable blocks blanked, line
      numbers kept so that ``where`` maps them back to the file.
    - keep: indices into ``ast.parse(text).body`` of the statements to run.
    - statements: kept index -> (line where that statement starts, the name
      it defines or None), so that reporting on them needs no second parse.
    - functions: top-level function name -> line of its last definition.
    - broken: function name -> why its last definition could not be parsed
      ("line 12: ..."); ``broken_at`` holds the line where that block starts.
    - stubs: function names whose body is a stub (pass, return None, raise
      NotImplementedError, or a notebook template whose graded regions hold
      only placeholders); ``placeholders``: function name -> (line of the first
      ``x = None`` placeholder left in a graded region (``### START CODE HERE ###``),
      the share of the graded statements that still are placeholders).
    - calls: function name -> names of other top-level functions it calls.
    - signatures: function name -> :class:`signatures.Signature` of its last
      definition (left out when a later top-level statement rebinds the name).
    - warnings: notes on the file itself (the encoding it was read in).
    - uses: what the import policy reads from the text (``policy.Uses``), read
      here with the rest so that the text is parsed once.
    """
    path: str
    text: str
    origins: list
    keep: list = field(default_factory=list)
    statements: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)
    broken: dict = field(default_factory=dict)
    stubs: set = field(default_factory=set)
    placeholders: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)
    imports: dict = field(default_factory=dict)
    broken_at: dict = field(default_factory=dict)
    signatures: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    uses: object = field(default=None, repr=False, compare=False)

    def where(self, lineno):
        """Human place of a line of ``text``: "line 12", "code cell 3, line 4"..."""
        if lineno and 0 < lineno <= len(self.origins):
            return self.origins[lineno - 1]
        return f"line {lineno}"


def load(path):
    """Parse the file at ``path`` into a :class:`Source`."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UnreadableSubmission(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise UnreadableSubmission(f"{path} is larger than {MAX_BYTES >> 20} MiB: not a homework file")
    return from_bytes(raw, path)


def from_bytes(raw, path="<submission>"):
    """Parse raw file contents; the kind is told by the name and the content."""
    content, note = _decode(raw, path)
    if not content.strip():
        raise UnreadableSubmission(f"{path} is empty")
    if path.endswith(".ipynb") or content.lstrip().startswith("{"):
        cells = _notebook_cells(content, path)
    else:
        lines = content.splitlines()
        exported = any(IN_MARKER.match(line) for line in lines)
        cells = _exported_cells(lines) if exported else [list(enumerate(lines, start=1))]
    source = _build(path, cells)
    source.warnings += [note] if note else []
    return source


def _decode(raw, path):
    """(text, note): the file decoded as Python would, else by a guess the note names.

    A notebook is JSON, UTF-8 by its specification (a BOM is tolerated).
    Source follows PEP 263: a BOM or a ``coding:`` declaration in the first
    two lines names the encoding, UTF-8 otherwise.  Source that does not
    decode that way (an editor saved Chinese comments as GBK without saying
    so) is read as GB18030, then Latin-1, and the note says which.  A file
    with NUL bytes near its start, or whose guessed text is thick with
    control characters, is binary and refused.
    """
    binary = UnreadableSubmission(f"{path} is a binary file, not Python or a notebook")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not path.endswith(".ipynb"):
        try:
            return _text_or_binary(raw, "utf-16", path), (
                f"{path} is UTF-16 (Python itself would refuse it; save it as UTF-8)")
        except UnicodeDecodeError:
            raise binary from None
    if b"\x00" in raw[:8192]:
        raise binary
    if path.endswith(".ipynb"):
        try:
            return raw.decode("utf-8-sig"), None
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            raise UnreadableSubmission(f"{path} is not UTF-8 (line {line}), which a notebook must be; "
                                       "save it from Jupyter again") from None
    declared, why = _declared_encoding(raw)
    try:
        text = raw.decode(declared)
        return text, (f"{path} {why}; read as UTF-8" if why else None)
    except UnicodeDecodeError as error:
        if not why:
            line = raw.count(b"\n", 0, error.start) + 1
            why = (f"is not UTF-8 (line {line})" if declared.startswith("utf-8")
                   else f"declares {declared} but is not {declared} (line {line})")
    for guess in GUESSES:
        try:
            text = _text_or_binary(raw, guess, path)
        except UnicodeDecodeError:
            continue
        return text, f"{path} {why}; read as {guess.upper()} (save it as UTF-8 to be sure of its text)"
    raise AssertionError("unreachable: Latin-1 decodes every byte")


def _declared_encoding(raw):
    """(codec, None) as Python reads source; ("utf-8-sig", why) when its declaration is unusable."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as error:
        if str(error).startswith("invalid or missing"):  # the first lines are not UTF-8: nothing declared
            return "utf-8", None
        return "utf-8-sig", f"declares an encoding Python cannot use ({error})"
    try:
        "".encode(encoding)
    except LookupError:  # a codec that is no text encoding (rot13, base64)
        return "utf-8-sig", f"declares an encoding Python cannot use ({encoding})"
    return encoding, None


def _text_or_binary(raw, encoding, path):
    """``raw`` decoded by a guess; refused as binary when the guess gives characters no one types."""
    text = raw.decode(encoding).removeprefix("\ufeff")
    sample = text[:65536]
    if "\x00" in text or len(CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise UnreadableSubmission(f"{path} is a binary file, not Python or a notebook")
    return text


def _notebook_cells(content, path):
    try:
        notebook = json.loads(content)
    except json.JSONDecodeError as error:
        raise UnreadableSubmission(
            f"{path} is not a valid notebook: JSON error at line {error.lineno}: {error.msg}"
        ) from None
    except RecursionError:
        raise UnreadableSubmission(f"{path} is not a valid notebook: JSON nested too deeply") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells", notebook.get("worksheets")), list):
        raise UnreadableSubmission(f"{path} is JSON but not a Jupyter notebook (no cells)")
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for sheet in notebook["worksheets"] for c in sheet.get("cells", [])]
    code = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        lines = source if isinstance(source, list) else [source]
        if not all(isinstance(line, str) for line in lines):
            raise UnreadableSubmission(f"{path} is not a valid notebook: a code cell's source is not text")
        code.append([(None, line) for line in "".join(lines).splitlines()])
    return code


def _exported_cells(lines):
    """Split text exported with ``In [n]:`` markers; drop ``Out[n]:`` blocks."""
    cells, current, in_output = [], [], False
    for number, line in enumerate(lines, start=1):
        if IN_MARKER.match(line):
            cells.append(current)
            current, in_output = [], False
        elif OUT_MARKER.match(line):
            in_output = True
        elif not in_output:
            current.append((number, line))
    cells.append(current)
    return [cell for cell in cells if any(line.strip() for _, line in cell)]


def _build(path, cells):
    """Join the cells; each line remembers its place in the file (``origins``)."""
    lines, origins = [], []
    for number, cell in enumerate(cells, start=1):
        texts = _strip_magics([line for _, line in cell])
        for index, ((file_line, _), line) in enumerate(zip(cell, texts), start=1):
            lines.append(line)
            in_cell = f"cell {number}, line {index}"
            if file_line is None:  # a notebook: markdown cells are not counted
                origins.append(f"code {in_cell}")
            else:
                origins.append(f"line {file_line}" + (f" ({in_cell})" if len(cells) > 1 else ""))
    source = Source(path=path, text="", origins=origins)
    source.text, tree = _parse_tolerant(lines, source)
    walked = [nodes(node) for node in tree.body]  # every pass below reads these lists
    select(tree.body, walked, source)
    source.uses = policy.uses(tree.body, walked)
    return source


def _strip_magics(cell):
    """IPython magics and shell escapes become ``pass`` at the same indent."""
    if cell and cell[0].lstrip().startswith("%%"):
        if not cell[0].lstrip().startswith(TEXT_CELL_MAGICS):
            return ["pass"] * len(cell)  # %%bash, %%writefile...: not Python
        cell = ["pass"] + cell[1:]
    out = []
    for line in cell:
        match = MAGIC.match(line)
        out.append(f"{match.group(1)}pass" if match and not _is_python(line) else line)
    return out


def _is_python(line):
    try:
        ast.parse(line.strip())
        return True
    except SyntaxError:
        return False


def _parse_tolerant(lines, source):
    """(text, its tree): parse, blanking each top-level block that does not parse; record why."""
    for _ in range(len(lines) + 1):
        text = "\n".join(lines) + "\n"
        try:
            return text, ast.parse(text)
        except SyntaxError as error:
            line = min(max(error.lineno or 1, 1), len(lines))
            start, end = _block_around(lines, line - 1)
            names = [m.group(1) for m in map(DEF_LINE.match, lines[start:end]) if m]
            name = names[0] if names else f"<{source.where(start + 1)}>"
            source.broken[name] = f"{source.where(line)}: {error.msg}"
            source.broken_at[name] = start + 1
            lines[start:end] = [""] * (end - start)
    raise AssertionError("unreachable: every pass blanks at least one line")


def _block_around(lines, index):
    """[start, end) of the top-level block holding line ``index`` (0-based)."""
    def opens_statement(i):
        text = lines[i]
        return bool(text) and not text[0].isspace() and text[0] not in "#)]}"

    start = index
    while start > 0 and not opens_statement(start):
        start -= 1
    while start > 0 and lines[start - 1].startswith("@"):
        start -= 1
    end = index + 1
    while end < len(lines) and not opens_statement(end):
        end += 1
    return start, max(end, start + 1)
