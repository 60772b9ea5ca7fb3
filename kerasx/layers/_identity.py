"""`Identity`: returns its inputs unchanged (a placeholder in a model's structure)."""

from __future__ import annotations

from kerasx.layers._layer import Layer


# Not in the registry of bare names, where "Identity" is the initializer (Keras 3 has both): the layer family's own
# table resolves it (`kerasx.layers.deserialize`, model configs), and its serialized name is still "Identity".
class Identity(Layer):
    """Returns its inputs unchanged: a tensor, or a list/tuple/dict of tensors; masks pass through.

    Useful where a model's structure needs a layer that does nothing, e.g. to disable a block by swapping it out.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: a tensor or a nested structure of tensors.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Identity()(np.array([[1.0, 2.0]]))))
        [[1. 2.]]
        >>> kerasx.layers.Identity()(kerasx.Input(shape=(3, 4))).shape
        (None, 3, 4)
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        return inputs
