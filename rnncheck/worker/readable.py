"""What a confined worker may read: the packages it is allowed, the submission's folder, a course's support files.

Located in the worker before it is confined (``serve.confine_worker``);
``confine`` then grants exactly these paths.
"""
import importlib.util
import os


def support_folders(start):
    """Folders the support files are imported from (a support path is a folder, or a file in one)."""
    folders = []
    for path in start.get("support") or []:
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        if folder not in folders:
            folders.append(folder)
    return folders


def folder_entries(folder, kept_out):
    """What of the submission's folder it may read: its local modules, not its neighbours' secrets.

    Every entry of the folder except hidden ones (``.env``, ``.ssh``, ``.git``)
    and those holding a path of ``kept_out`` (a virtual environment with
    autograd in it, the scratch directory); nothing when the folder itself
    lies inside a kept-out path.
    """
    if any(_within(folder, path) for path in kept_out):
        return []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    entries = [os.path.join(folder, name) for name in names if not name.startswith(".")]
    return [e for e in entries if not any(_within(path, e) for path in kept_out)]


def package_paths(name):
    """Where the top-level package ``name`` would be imported from (its folders, or its file)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations:
        folders = list(spec.submodule_search_locations)
        linked = [os.path.realpath(entry.path) for f in folders for entry in _scan(f) if entry.is_symlink()]
        libraries = [f"{f}.libs" for f in folders if os.path.isdir(f"{f}.libs")]  # wheels' bundled libraries
        return folders + linked + libraries
    return [spec.origin] if spec.origin and os.path.isabs(spec.origin) else []


def _scan(folder):
    """The entries of ``folder`` (none when it cannot be listed); a source checkout links rnncheck/manual there."""
    try:
        return list(os.scandir(folder))
    except OSError:
        return []


def _within(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
