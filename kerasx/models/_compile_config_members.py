"""`get_compile_config`/`compile_from_config` of Keras 3's `Model`: the arguments of `compile`, in the form a saved
model stores them (kerasx.saving's format, which is why these live with the models, above the saving floor)."""

from __future__ import annotations

from typing import Any

from kerasx.saving import _compile_config

NOT_COMPILED_CONFIG = (
    "Model '{name}': `compile_from_config` received {config!r}, which is not a compile config (a dict such as "
    "`model.get_compile_config()` returns)."
)


class CompileConfigMixin:
    """The compile config members of `Model` (expects the trainer's attributes)."""

    name: str
    optimizer: Any
    trainable_variables: list

    # Compile config ---------------------------------------------------------------------------------------------
    def get_compile_config(self) -> dict | None:
        """The arguments `compile` received, serialized as a saved model stores them (None before `compile`).

        Example:
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
            >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
            >>> config = model.get_compile_config()
            >>> config["optimizer"]["class_name"], config["loss"], config["metrics"]
            ('Adam', 'mse', ['mae'])
        """
        return _compile_config.export_compile_config(self)

    def compile_from_config(self, config: dict) -> None:
        """Compiles the model with a config from `get_compile_config` (or a saved model's `compile_config`); the
        optimizer is built at once when the model is built, so that its state can be loaded next.

        Example:
            >>> import kerasx
            >>> source = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
            >>> source.compile(optimizer="sgd", loss="mae")
            >>> target = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
            >>> target.compile_from_config(source.get_compile_config())
            >>> type(target.optimizer).__name__, target.loss
            ('SGD', 'mae')
        """
        if not isinstance(config, dict):
            raise ValueError(NOT_COMPILED_CONFIG.format(name=self.name, config=config))
        # As Keras 3's: the model's own `compile` (a subclass may override it) receives the arguments.
        self.compile(**_compile_config.compile_arguments(config, "<compile config>", None, False))  # pyright: ignore[reportAttributeAccessIssue]
        if getattr(self, "built", False) and self.optimizer is not None and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)
