"""Records that statistics count beyond the pipeline: foreign capital paid in, events, published reports."""

from .events import *  # noqa: F403
from .fdi import *  # noqa: F403
from .reports import *  # noqa: F403
