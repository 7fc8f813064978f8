"""Stand-in for EECS 498 (Fall 2020) A4's ``a4_helper``, as far as the recurrent functions need it.

The assignment's file starts with ``from a4_helper import *`` and its
functions then use ``F`` (``F.cross_entropy``, ``F.softmax``) without importing
it: the real helper imports ``torch.nn.functional as F`` (and torchvision,
SciPy and the COCO loaders, which no checked function uses).  This file
gives a submission the same names, so that its functions run as they do in
the course's notebook.
"""
import math
import random
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
