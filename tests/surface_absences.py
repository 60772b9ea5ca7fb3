"""What kerasx deliberately does not provide yet of Keras 3's public surface, each with its reason.

`tests/test_surface.py` fails for a Keras 3 name missing from kerasx that is not listed here, and for a name listed
here that kerasx now has: this list only shrinks. Paths are Keras 3's (`keras.layers.Dense`); keyword parameters
are written `path(parameter)`.
"""


# (reason, Keras 3 paths)
ABSENT_NAMES = (
)

# (reason, `path(parameter)` of a Keras 3 callable whose keyword kerasx refuses)
ABSENT_KEYWORDS = (
)
