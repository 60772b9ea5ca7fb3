"""LoRA (low-rank adaptation) for layers with one main weight: the weight is frozen and `alpha / rank * A @ B`
is added to it, with `A` and `B` the new trainable weights (Keras 3's `enable_lora`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import initializers, ops

LORA_CONSTRAINT = (
    "Layer '{name}' ({cls}): LoRA is incompatible with a constraint on the weight it adapts. Received: "
    "{weight}_constraint={constraint!r}. Remove the constraint to enable LoRA."
)
LORA_NOT_BUILT = (
    "Layer '{name}' ({cls}) cannot enable LoRA before it is built: build it first (call it on an input, or "
    "`layer.build(input_shape)`), or pass `lora_rank=` to its constructor."
)
LORA_TWICE = "Layer '{name}' ({cls}): LoRA is already enabled (rank {rank}); it can be enabled once per layer."


class SavedWeight:
    """What a layer saves in a weight's place when that is not the variable's own value (Keras 3 saves a LoRA
    layer's weight with `A @ B` merged in). `value()` gives what is written; loading assigns to the variable, then
    runs `after_load` (a LoRA layer zeros `A` and `B`)."""

    def __init__(self, variable, value, after_load=None):
        self.variable, self.value, self.after_load = variable, value, after_load
        self.path, self.shape = variable.path, variable.shape

    def numpy(self):
        return ops.convert_to_numpy(self.value())

    def assign(self, value):
        self.variable.assign(value)
        if self.after_load is not None:
            self.after_load()


class LoraMixin:
    """`enable_lora` and the merged weight for a layer whose adapted weight is the attribute `_lora_target`.

    The layer calls `_init_lora` in `__init__`, `_build_lora` at the end of `build`, and `_lora_merged()` to get
    the weight its call uses when `lora_enabled`.
    """

    _lora_target = "kernel"
    _lora_prefix = "lora_kernel"
    # Keras 3's Dense and Embedding enable LoRA at build with alpha = rank, whatever `lora_alpha` they were given;
    # its EinsumDense and convolutions keep `lora_alpha`.
    _lora_alpha_at_build = True

    # Provided by `Layer`.
    name: str
    built: bool
    compute_dtype: str
    add_weight: Callable[..., Any]

    def _init_lora(self, lora_rank, lora_alpha) -> None:
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False

    def _build_lora(self) -> None:
        if self.lora_rank:
            alpha = self.lora_alpha if self._lora_alpha_at_build else None
            self.enable_lora(self.lora_rank, lora_alpha=alpha)

    def enable_lora(self, rank: int, lora_alpha: float | None = None, a_initializer="he_uniform",
                    b_initializer="zeros") -> None:
        """Freezes the layer's main weight and adds trainable low-rank factors `A` (`weight.shape[:-1] + (rank,)`)
        and `B` (`(rank, weight.shape[-1])`); the layer then uses `weight + lora_alpha / rank * A @ B`.

        Args:
            rank: rank of the update.
            lora_alpha: scale numerator; defaults to `rank` (a scale of 1).
            a_initializer, b_initializer: initializers of `A` and `B` (`B` starts at zero, so the layer's output
                is unchanged until it trains).

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(3, name="dense")
            >>> layer.build((None, 4))
            >>> layer.enable_lora(2)
            >>> [w.path for w in layer.trainable_weights]
            ['dense/bias', 'dense/lora_kernel_a', 'dense/lora_kernel_b']
        """
        cls, target = type(self).__name__, self._lora_target
        constraint = getattr(self, f"{target}_constraint", None)
        if constraint is not None:
            raise ValueError(LORA_CONSTRAINT.format(name=self.name, cls=cls, weight=target, constraint=constraint))
        if not self.built:
            raise ValueError(LORA_NOT_BUILT.format(name=self.name, cls=cls))
        if self.lora_enabled:
            raise ValueError(LORA_TWICE.format(name=self.name, cls=cls, rank=self.lora_rank))
        weight = getattr(self, target)
        shape = tuple(weight.shape)
        regularizer = getattr(self, f"{target}_regularizer", None)
        # float32 factors: a low-precision update underflows while it trains (Keras 3 does the same).
        self._lora_a = self.add_weight(name=f"{self._lora_prefix}_a", shape=shape[:-1] + (rank,),
                                       initializer=initializers.get(a_initializer), dtype="float32",
                                       regularizer=regularizer)
        self._lora_b = self.add_weight(name=f"{self._lora_prefix}_b", shape=(rank, shape[-1]),
                                       initializer=initializers.get(b_initializer), dtype="float32",
                                       regularizer=regularizer)
        setattr(self, f"{self._lora_prefix}_a", self._lora_a)
        setattr(self, f"{self._lora_prefix}_b", self._lora_b)
        weight.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def _lora_delta(self):
        return ops.multiply(ops.matmul(self._lora_a, self._lora_b), self.lora_alpha / self.lora_rank)

    def _lora_merged(self):
        weight = getattr(self, self._lora_target)
        return ops.cast(ops.add(weight, self._lora_delta()), self.compute_dtype)

    def _zero_lora(self) -> None:
        for weight in (self._lora_a, self._lora_b):
            weight.assign(ops.zeros(weight.shape, weight.dtype))

    def _saved_target(self):
        """The adapted weight as Keras 3 saves it: merged with the LoRA update when LoRA is on."""
        weight = getattr(self, self._lora_target)
        if not self.lora_enabled:
            return weight
        return SavedWeight(weight, self._lora_merged, self._zero_lora)

    def _lora_config(self, config: dict) -> dict:
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return config
