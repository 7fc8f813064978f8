"""The front doors: the command line, the Python API, the pytest plugin, configuration, batches, ``compare``."""
