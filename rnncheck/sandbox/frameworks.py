"""The parent's side of a course's framework (``worker.frameworks`` is the worker's): is it installed, what it costs.

A course in PyTorch (EECS 498) needs torch in the environment rnncheck runs
in, installed with the optional extra (``pip install "rnncheck[torch]"``);
nothing else in rnncheck ever does.  Without it the check says so instead of
starting a worker that cannot import it.
"""
import importlib.util

INSTALL = {"torch": 'pip install "rnncheck[torch]"'}
MEMORY = {"torch": 1 << 30}  # a worker's least address space: importing torch 2.13 maps 0.6 GiB (default cap: 2 GiB)


def available(name):
    """Whether the framework ``name`` can be imported here (NumPy always can); never imports it."""
    if name in (None, "numpy"):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def unavailable(course, limits):
    """Why ``course`` cannot be checked here under ``limits`` (its framework missing, too little memory), or None."""
    if not available(course.framework):
        return (f"the course {course.name} is written in {course.framework}, which is not installed here: "
                f"{INSTALL.get(course.framework, 'install it')}")
    return too_little_memory(course, limits)


def preload(course):
    """Modules the fork server imports once before forking this course's workers: its framework, if not NumPy."""
    framework = getattr(course, "framework", "numpy")
    return (framework,) if framework != "numpy" and available(framework) else ()


def too_little_memory(course, limits):
    """Why the worker's memory cap is too small for ``course``'s framework, or None."""
    needed = MEMORY.get(course.framework)
    if needed is None or limits.memory_bytes >= needed:
        return None
    return (f"the course {course.name} needs a worker memory cap of at least {needed / 2 ** 30:g} GiB for "
            f"{course.framework} (its import alone maps 0.6 GiB); the cap is {limits.memory_bytes / 2 ** 20:g} MiB "
            "(--memory, or memory in [tool.rnncheck.limits])")
