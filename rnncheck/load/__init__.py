"""Reading submissions without running them: files and notebooks, the statements worth running, imports.

``paths`` finds the files a command names, ``loader`` turns a .py, .ipynb or
exported notebook into source, ``syntax``, ``policy`` and ``signatures``
read facts from its syntax tree, and ``harvest`` writes a notebook's live
functions back out as source.
"""
