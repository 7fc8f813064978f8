"""Reading submissions without running them: files and notebooks, the statements worth running, imports.

``paths`` finds the files a command names, ``loader`` turns a .py, .ipynb or
exported notebook into source, ``statements`` picks the statements worth
running and the functions still the template, ``syntax``, ``policy``,
``autograd_use`` and ``signatures`` read facts from its syntax tree,
``which_course`` tells whose homework it is, and ``harvest`` writes a
notebook's live functions back out as source.
"""
