"""The oracle process itself: import the reference, then answer each seed's cases (see ``client``)."""
import numpy as np

from .. import courses
from ..worker import wire
from .answers import compute
from .cases import cases_for

def serve(read_fd, write_fd):
    """In the forked oracle: import the reference, then answer each request until rnncheck hangs up."""
    from rnncheck import reference  # noqa: F401  (autograd: the import this process exists to take off rnncheck's path)

    try:
        while True:
            request, _ = wire.receive(read_fd)
            course = courses.load(request["course"])
            layers = {layer.name: layer for layer in course.layers}
            for name in request["layers"]:
                for index in range(len(cases_for(layers[name]))):
                    found = compute(request["seed"], layers[name], index)
                    groups = (found.inputs, found.outputs, found.upstream, found.grads)
                    values = [value for group in groups for value in group]
                    wire.send(write_fd, {"seed": request["seed"], "course": course.key, "layer": name, "case": index,
                                         "sizes": [len(group) for group in groups],
                                         "scalars": [not isinstance(v, np.ndarray) for v in values]},
                              [np.asarray(value) for value in values])
    except (wire.Closed, OSError, courses.CourseError):
        pass
