"""`Discretization`: numbers to the index of the bin they fall in, bins given or learnt (quantiles) by `adapt`."""

from __future__ import annotations

from typing import Literal

import numpy as np

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _adapt_data, _categorical, _graph_host, _quantiles
from kerasx.serialization import _registry

BINS_AND_BOUNDARIES = (
    "Discretization takes either num_bins (learnt by adapt) or bin_boundaries, not both. "
    "Received: num_bins={num_bins!r}, bin_boundaries={bin_boundaries!r}."
)
NO_BINS = (
    "Discretization needs num_bins (then adapt learns the boundaries) or bin_boundaries. "
    "Received: num_bins=None, bin_boundaries=None."
)
NEGATIVE_BINS = "Discretization needs num_bins >= 0. Received: num_bins={num_bins!r}."
ADAPT_WITH_BOUNDARIES = (
    "Layer '{name}' (Discretization) was given its bin_boundaries, so it cannot adapt. "
    "Create it with num_bins instead to learn the boundaries from data."
)
NOT_ADAPTED = (
    "Layer '{name}' (Discretization) has no bin boundaries yet. Received: bin_boundaries=None. "
    "Call `adapt(data)` first, or pass bin_boundaries."
)


@_registry.builtin
class Discretization(_graph_host.HostInGraphMixin, Layer):
    """Replaces each number by the index of the bin it falls in.

    With boundaries `[b0, b1, ...]`, bin 0 is `x < b0`, bin 1 is `b0 <= x < b1`, and so on. `adapt` sets
    `num_bins - 1` boundaries at the data's approximate quantiles (relative error about `epsilon`), computed on the
    host with NumPy, equal to Keras 3's. The boundaries are part of the config (no weights).

    Args:
        bin_boundaries: sorted list of boundaries; None to learn them with `adapt`.
        num_bins: number of bins `adapt` makes.
        epsilon: precision of the quantile summary `adapt` keeps (smaller is more exact and bigger).
        output_mode: `"int"` (bin indices, int32), `"one_hot"`, `"multi_hot"` or `"count"` (see CategoryEncoding).
        sparse: must be False (kerasx returns dense tensors).
        dtype: the dtype of the non-int outputs.
        name: the layer's name.

    Call arguments:
        inputs: a numeric tensor (NumPy arrays are converted).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[-1.5, 1.0, 3.4, 0.5]]))))
        [[0 2 3 1]]
    """

    _convert_input_args = False

    def __init__(
        self,
        bin_boundaries: list[float] | None = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: Literal["int", "one_hot", "multi_hot", "count"] = "int",
        sparse: bool = False,
        dtype=None,
        name: str | None = None,
    ):
        super().__init__(dtype=dtype, name=name)
        self.sparse = _categorical.check_sparse("Discretization", sparse)
        self.output_mode = _categorical.check_output_mode("Discretization", output_mode)
        if num_bins is not None and num_bins < 0:
            raise ValueError(NEGATIVE_BINS.format(num_bins=num_bins))
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(BINS_AND_BOUNDARIES.format(num_bins=num_bins, bin_boundaries=bin_boundaries))
        if num_bins is None and bin_boundaries is None:
            raise ValueError(NO_BINS)
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.summary = None if bin_boundaries else _quantiles.empty_summary()

    @property
    def output_dtype(self) -> str:
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps: int | None = None) -> None:
        """Learns `num_bins - 1` boundaries from `data` (an array or tensor, a tf.data.Dataset or an iterable of
        batches; at most `steps` batches)."""
        if self.num_bins is None:
            raise ValueError(ADAPT_WITH_BOUNDARIES.format(name=self.name))
        self.reset_state()
        for batch in _adapt_data.batches(data, self, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data) -> None:
        summary = _quantiles.summarize(np.asarray(data).astype("float32"), self.epsilon)
        previous = _quantiles.empty_summary() if self.summary is None else self.summary
        self.summary = _quantiles.merge(summary, previous, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is not None and self.summary is not None:
            self.bin_boundaries = _quantiles.bin_boundaries(self.summary, self.num_bins)

    def reset_state(self) -> None:
        if self.num_bins is not None:
            self.summary = _quantiles.empty_summary()

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(NOT_ADAPTED.format(name=self.name))
        indices = ops.digitize(ops.convert_to_tensor(inputs), self.bin_boundaries)
        return _categorical.encode(indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype)

    def compute_output_shape(self, input_shape):
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else (self.num_bins or 0)
        return _categorical.encoded_shape(input_shape, self.output_mode, depth)

    def compute_output_spec(self, inputs):
        return ops.KerasTensor(self.compute_output_shape(inputs.shape), self.output_dtype)

    def load_own_variables(self, store) -> None:
        # Older Keras files hold the quantile summary as the one variable.
        if len(store) == 1:
            self.summary = np.asarray(store["0"])

    def get_config(self) -> dict:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        # An adapted layer writes both: it is rebuilt with num_bins, then given its learnt boundaries.
        boundaries = config.pop("bin_boundaries", None) if config.get("num_bins") is not None else None
        layer = cls(**config)
        if boundaries is not None:
            layer.bin_boundaries = boundaries
        return layer
