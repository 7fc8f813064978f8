"""Checking many submissions at once, each in its own sandbox, answers in the order given.

Threads are enough: a check spends its time waiting on its worker
processes, which run in parallel; the parent's own work (comparison, the
memoised reference) is small.  A submission that hangs holds one thread for
as long as its own limits allow and nobody else's.
"""
import os
from dataclasses import replace


def usable_cores():
    """CPUs this process may run on (its affinity mask), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def private(limits, count):
    """The limits for ``count`` submissions: in a batch each worker reads its own file, not its neighbours'.

    One submission keeps its folder readable (a student's helper modules
    beside it); several, often one folder of every student's file, do not.
    """
    return replace(limits, private=True) if count > 1 else limits


def run(items, check, jobs, on_done=None):
    """Yield ``check(item)`` for every item, in the order of ``items``, at most ``jobs`` at a time.

    ``on_done(result)`` is called in the calling thread as each check
    finishes, in whatever order they finish (for a progress display).
    """
    on_done = on_done or (lambda result: None)
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            result = check(item)
            on_done(result)
            yield result
        return
    import concurrent.futures  # (and logging): only for a batch
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="rnncheck")
    try:
        futures = [pool.submit(check, item) for item in items]
        reported, shown = set(), 0
        while shown < len(futures):
            unreported = [f for f in futures if f not in reported]
            concurrent.futures.wait(unreported, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in unreported:
                if future.done():
                    reported.add(future)
                    on_done(future.result())
            while shown < len(futures) and futures[shown] in reported:
                yield futures[shown].result()
                shown += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
