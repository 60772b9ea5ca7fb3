"""The inverse error function, written once for NumPy (host) and for kerasx.ops (engine, also when traced).

Giles' single-precision approximation ("Approximating the erfinv function", GPU Computing Gems, 2011): two
polynomials in w = -log(1 - x**2), about 1e-7 relative error on (-1, 1). It needs only log, sqrt, where and
arithmetic, which every engine has, so the host and the engine evaluate the same formula.
"""

from __future__ import annotations

# Coefficients, highest degree first, for the central region (w < 5) and the tails.
_CENTRAL = (
    2.81022636e-08,
    3.43273939e-07,
    -3.5233877e-06,
    -4.39150654e-06,
    0.00021858087,
    -0.00125372503,
    -0.00417768164,
    0.246640727,
    1.50140941,
)
_TAIL = (
    -0.000200214257,
    0.000100950558,
    0.00134934322,
    -0.00367342844,
    0.00573950773,
    -0.0076224613,
    0.00943887047,
    1.00167406,
    2.83297682,
)


def _horner(coefficients, w):
    result = coefficients[0]
    for c in coefficients[1:]:
        result = result * w + c
    return result


def erfinv(x, xp):
    """erfinv(x) for x in (-1, 1); `xp` is `numpy` (host) or `kerasx.ops` (engine), which agree on the names used."""
    w = -xp.log((1.0 - x) * (1.0 + x))
    central = _horner(_CENTRAL, w - 2.5)
    # sqrt of the clipped w keeps the unused branch finite where w < 5.
    tail = _horner(_TAIL, xp.sqrt(xp.where(w < 5.0, 5.0, w)) - 3.0)
    return xp.where(w < 5.0, central, tail) * x
