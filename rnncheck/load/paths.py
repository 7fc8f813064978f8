"""Which submissions a list of paths names: files as given, folders by their checkable files."""
import os

SUFFIXES = (".py", ".ipynb", ".txt")


def candidates(paths):
    """``[(file, None) or (path, why it cannot be checked)]``; a folder contributes its .py, .ipynb, .txt."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(os.path.join(path, n) for n in os.listdir(path)
                            if n.endswith(SUFFIXES) and not n.startswith("."))
            found += [(p, None) for p in inside] or [(path, f"{path} holds no .py, .ipynb or .txt file to check")]
        elif os.path.exists(path):
            found.append((path, None))
        else:
            found.append((path, f"{path}: no such file or folder"))
    return found
