"""Making the verdict, in the parent: comparison, diagnosis, known mistakes, self-consistency, hints.

``verify`` runs a whole check; ``answer`` judges one case's answer;
``compare`` judges one value; ``diagnose``,
``errormap``, ``recognise`` (with the catalogue of ``mistakes``),
``consistency``, ``hints`` and ``hygiene`` say what is wrong and why.
"""
