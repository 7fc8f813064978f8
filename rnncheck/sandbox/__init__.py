"""The parent's side of the trust boundary: worker processes, the fork server, limits, replies checked.

``limits`` holds what bounds a worker and what its failure looks like,
``process`` starts and talks to one confined worker, ``session`` serves a
submission's requests with workers replaced as they fail (``Sandbox``),
``forkserver`` hands out warm workers and forks the oracle process,
``frameworks`` prepares a course's framework (torch), and ``replies``
checks every field a worker sends before anything else reads it.
"""
