"""Optimizers' state variables, saving, config, `get`/`serialize`/`deserialize`, custom subclasses and argument
errors.

None of these tests needs autodiff (gradients are given as arrays), so they run on the numpy backend too.
"""

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops, optimizers, saving
from kerasx.optimizers import schedules
from optimizer_reference import make_variables, problem

# State variables, saving, config ------------------------------------------------------------------------------------


def test_variables_paths_order_and_dtypes():
    weights = [np.ones((2, 3), "float32"), np.ones(3, "float32")]
    variables = make_variables(weights, names=["dense/kernel", "dense/bias"])
    optimizer = optimizers.Adam(amsgrad=True, name="opt")
    optimizer.build(variables)
    optimizer.build(variables)  # building twice creates nothing new
    paths = [v.path for v in optimizer.variables]
    assert paths == [
        "opt/iteration",
        "opt/learning_rate",
        "opt/dense_kernel_momentum",
        "opt/dense_kernel_velocity",
        "opt/dense_bias_momentum",
        "opt/dense_bias_velocity",
        "opt/dense_kernel_velocity_hat",
        "opt/dense_bias_velocity_hat",
    ]
    # Keras 3's step counter is int64 on TensorFlow, int32 elsewhere.
    counter = "int64" if kerasx.backend.backend() == "tensorflow" else "int32"
    assert [v.dtype for v in optimizer.variables[:2]] == [counter, "float32"]
    assert all(not v.trainable for v in optimizer.variables)
    assert [v.shape for v in optimizer.variables[2:4]] == [(2, 3), (2, 3)]
    # Default names as Keras 3 gives them: the snake-case class name, numbered from the second one on.
    kerasx.backend.clear_session(free_memory=False)
    assert [optimizers.SGD().name, optimizers.SGD().name, optimizers.RMSprop().name, optimizers.AdamW().name] == [
        "sgd", "sgd_1", "rm_sprop", "adam_w"
    ]
    assert optimizers.Nadam().name == "nadam"
    nadam = optimizers.Nadam(name="nadam")
    nadam.build(variables)
    assert nadam.variables[-1].path.startswith("nadam/variable")
    support.assert_close(nadam.variables[-1], np.float32(1.0))


def test_adagrad_accumulators_start_at_initial_value():
    variables = make_variables([np.zeros((2, 2), "float32")])
    optimizer = optimizers.Adagrad(initial_accumulator_value=0.25)
    optimizer.build(variables)
    support.assert_close(optimizer.variables[2], np.full((2, 2), 0.25, "float32"))


def test_save_and_load_own_variables():
    weights, grad_steps = problem(seed=10)
    source_vars, target_vars = make_variables(weights), make_variables(weights)
    source = optimizers.Adam(learning_rate=0.05)
    for grads in grad_steps[:3]:
        source.apply(grads, source_vars)
    store = {}
    source.save_own_variables(store)
    target = optimizers.Adam(learning_rate=0.05)
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        target.load_own_variables(store)
    target.build(target_vars)
    target.load_own_variables(store)
    for source_var, target_var in zip(source_vars, target_vars):
        target_var.assign(source_var.numpy())
    source.apply(grad_steps[3], source_vars)
    target.apply(grad_steps[3], target_vars)
    for a, b in zip(source_vars, target_vars):
        support.assert_close(a, b.numpy(), rtol=0, atol=0)
    assert int(target.iterations.numpy()) == 4


@pytest.mark.parametrize(
    "optimizer",
    [
        pytest.param(optimizers.SGD(learning_rate=0.3, momentum=0.2, nesterov=True, clipnorm=1.5), id="SGD"),
        pytest.param(optimizers.RMSprop(rho=0.8, centered=True, global_clipnorm=2.0), id="RMSprop"),
        pytest.param(optimizers.Adam(amsgrad=True, clipvalue=0.5, name="a"), id="Adam"),
        pytest.param(optimizers.AdamW(weight_decay=0.01), id="AdamW"),
        pytest.param(optimizers.Adagrad(initial_accumulator_value=0.3), id="Adagrad"),
        pytest.param(optimizers.Adadelta(rho=0.5), id="Adadelta"),
        pytest.param(optimizers.Adamax(beta_2=0.9), id="Adamax"),
        pytest.param(optimizers.Nadam(epsilon=1e-5), id="Nadam"),
        pytest.param(optimizers.Lion(beta_1=0.5), id="Lion"),
        pytest.param(optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 100, alpha=0.1)), id="Adam-schedule"),
    ],
)
def test_config_round_trip(optimizer):
    config = optimizers.serialize(optimizer)
    assert config["class_name"] == type(optimizer).__name__
    clone = optimizers.deserialize(config)
    assert type(clone) is type(optimizer)
    assert clone.get_config() == optimizer.get_config()
    again = optimizers.get(config)
    assert again.get_config() == optimizer.get_config() and again is not optimizer


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("adam", optimizers.Adam),
        ("Adam", optimizers.Adam),
        ("sgd", optimizers.SGD),
        ("SGD", optimizers.SGD),
        ("rmsprop", optimizers.RMSprop),
        ("adamw", optimizers.AdamW),
        ("adagrad", optimizers.Adagrad),
        ("adadelta", optimizers.Adadelta),
        ("adamax", optimizers.Adamax),
        ("nadam", optimizers.Nadam),
        ("lion", optimizers.Lion),
    ],
)
def test_get_by_name(identifier, cls):
    optimizer = optimizers.get(identifier)
    assert type(optimizer) is cls
    assert {**optimizer.get_config(), "name": None} == {**cls().get_config(), "name": None}


def test_get_instance_and_errors():
    adam = optimizers.Adam()
    assert optimizers.get(adam) is adam
    with pytest.raises(
        ValueError, match=r"Could not interpret optimizer identifier: 'adamm'.*Adadelta, Adafactor, Adagrad, Adam"
    ):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 3"):
        optimizers.get(3)
    with pytest.raises(ValueError, match="Could not deserialize optimizer 'Mine'.*custom_objects"):
        optimizers.deserialize({"class_name": "Mine", "config": {}})
    with pytest.raises(ValueError, match="Expected a dict with keys 'class_name' and 'config'"):
        optimizers.deserialize({"config": {}})


def test_custom_optimizer_subclass_and_custom_objects():
    class SignSGD(optimizers.Optimizer):
        def update_step(self, gradient, variable, learning_rate):
            variable.assign(ops.subtract(variable, ops.multiply(ops.sign(gradient), learning_rate)))

    variables = make_variables([np.zeros(3, "float32")])
    optimizer = SignSGD(learning_rate=0.5)
    assert optimizer.name == "sign_sgd"
    optimizer.apply([np.array([2.0, -3.0, 0.5], "float32")], variables)
    support.assert_close(variables[0], np.array([-0.5, 0.5, -0.5]))
    clone = optimizers.deserialize(optimizers.serialize(optimizer), custom_objects={"SignSGD": SignSGD})
    assert isinstance(clone, SignSGD) and float(clone.learning_rate) == 0.5
    with pytest.raises(TypeError, match="abstract"):
        optimizers.Optimizer()


@pytest.mark.parametrize(
    "cls, kwargs, error, match",
    [
        pytest.param(
            optimizers.SGD,
            {"momentum": 1.5},
            ValueError,
            r"SGD: argument `momentum` must be in \[0.0, 1.0\]. Received: momentum=1.5",
            id="SGD-momentum",
        ),
        pytest.param(
            optimizers.SGD,
            {"momentum": "high"},
            TypeError,
            "must be a real number. Received: momentum='high'",
            id="SGD-momentum-type",
        ),
        pytest.param(
            optimizers.Adam,
            {"beta_1": 1.0},
            ValueError,
            r"`beta_1` must be in \[0.0, 1.0\)",
            id="Adam-beta_1",
        ),
        pytest.param(optimizers.Adam, {"epsilon": -1.0}, ValueError, "`epsilon` must be >= 0.0", id="Adam-epsilon"),
        pytest.param(
            optimizers.Lion,
            {"beta_1": 0.0},
            ValueError,
            r"`beta_1` must be in \(0.0, 1.0\]",
            id="Lion-beta_1",
        ),
        pytest.param(optimizers.RMSprop, {"rho": -0.1}, ValueError, "`rho` must be in", id="RMSprop-rho"),
        pytest.param(
            optimizers.Adagrad,
            {"initial_accumulator_value": -1},
            ValueError,
            "`initial_accumulator_value` must be >= 0.0",
            id="Adagrad-initial",
        ),
        pytest.param(
            optimizers.AdamW,
            {"weight_decay": None},
            ValueError,
            "AdamW: argument `weight_decay` must be a float",
            id="AdamW-weight_decay",
        ),
        pytest.param(
            optimizers.Adam,
            {"weight_decay": -0.1},
            ValueError,
            "`weight_decay` must be >= 0.0",
            id="Adam-weight_decay",
        ),
        pytest.param(
            optimizers.Adam,
            {"clipnorm": 1.0, "clipvalue": 1.0},
            ValueError,
            r"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            r"Received: clipnorm=1.0, clipvalue=1.0, global_clipnorm=None",
            id="Adam-two-clips",
        ),
        pytest.param(optimizers.Adam, {"clipnorm": 0.0}, ValueError, "`clipnorm` must be > 0.0", id="Adam-clipnorm"),
        pytest.param(
            optimizers.Adam,
            {"learning_rate": -0.1},
            ValueError,
            "`learning_rate` must be a non-negative float",
            id="Adam-learning_rate",
        ),
        pytest.param(
            optimizers.Adam,
            {"learning_rate": "fast"},
            ValueError,
            "Received: learning_rate='fast'",
            id="Adam-learning_rate-str",
        ),
        pytest.param(
            optimizers.Adam,
            {"lr": 0.1},
            ValueError,
            r"`lr` is not an argument. Received: lr=0.1. Use `learning_rate=0.1`",
            id="Adam-lr",
        ),
        pytest.param(
            optimizers.SGD,
            {"decay": 0.1},
            ValueError,
            "`decay` is not an argument.*InverseTimeDecay",
            id="SGD-decay",
        ),
        pytest.param(
            optimizers.Nadam,
            {"betas": (0.9, 0.99)},
            ValueError,
            "Nadam: argument.s. not recognized: betas",
            id="Nadam-unknown",
        ),
        pytest.param(
            optimizers.SGD,
            {"gradient_accumulation_steps": 1},
            ValueError,
            "`gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps=1",
            id="SGD-gradient_accumulation_steps",
        ),
        pytest.param(
            optimizers.Adam,
            {"use_ema": True, "ema_overwrite_frequency": 2.5},
            ValueError,
            "`ema_overwrite_frequency` must be an integer >= 1",
            id="Adam-ema_overwrite_frequency",
        ),
        pytest.param(
            optimizers.Adam, {"ema_momentum": 1.5}, ValueError, "`ema_momentum` must be in", id="Adam-ema_momentum"
        ),
        pytest.param(
            optimizers.Adam, {"loss_scale_factor": 0}, ValueError, "`loss_scale_factor` must be > 0.0", id="Adam-scale"
        ),
    ],
)
def test_bad_arguments(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)


def test_add_variable_rejects_bad_initializer():
    optimizer = optimizers.SGD(name="SGD")
    with pytest.raises(ValueError, match="cannot initialize variable 'slot' with initializer='glorot'"):
        optimizer.add_variable((2,), initializer="glorot", name="slot")
    slot = optimizer.add_variable((2,), initializer=lambda shape, dtype: np.full(shape, 3.0), name="three")
    support.assert_close(slot, np.full(2, 3.0, "float32"))
    assert slot.path == "SGD/three" and optimizer.variables[-1] is slot


def test_registered_custom_optimizer_and_saving_registry():
    @saving.register_keras_serializable(package="OptimizerTests")
    class HalfSGD(optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient, variable, ops.multiply(learning_rate, 0.5))

    config = optimizers.serialize(HalfSGD(learning_rate=0.2))
    assert config["class_name"] == "OptimizerTests>HalfSGD"
    assert type(optimizers.deserialize(config)) is HalfSGD
    assert type(optimizers.get("OptimizerTests>HalfSGD")) is HalfSGD
    # The generic registry rebuilds built-in optimizers and schedules too (used when saving compiled models).
    adam = optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5), amsgrad=True)
    clone = saving.deserialize_keras_object(saving.serialize_keras_object(adam))
    assert type(clone) is optimizers.Adam and clone.get_config() == adam.get_config()
    assert isinstance(clone._learning_rate, schedules.ExponentialDecay)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'OptimizerTests>Missing'"):
        optimizers.get("OptimizerTests>Missing")
