"""The parent's side of the trust boundary: worker processes, the fork server, limits, replies checked.

``session`` starts and talks to one confined worker at a time
(``Sandbox``), ``forkserver`` hands out warm workers and forks the oracle
process, and ``replies`` checks every field a worker sends before anything
else reads it.
"""
