"""Engines: one scenario variant in, the distribution of its yes votes out.

``simulation`` is the face (``simulate``, ``run``, ``Result``); ``exact`` is the dynamic
programme for independent members, ``latent`` the bloc model's latent scale and factors,
``quadrature`` integrates the exact engine over bloc factors, ``montecarlo`` samples.
"""

from .choose import MAX_TRIALS, Method
from .simulation import DEFAULT_TRIALS, Result, run, simulate

__all__ = ["DEFAULT_TRIALS", "MAX_TRIALS", "Method", "Result", "run", "simulate"]
