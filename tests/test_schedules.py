"""Learning-rate schedules against NumPy formulas, eagerly and compiled; config round trips; argument errors."""

import math

import numpy as np
import pytest

import support
from kerasx import backend, ops
from kerasx.optimizers import schedules

BACKEND = backend.backend()
STEPS = [0, 1, 2, 3, 5, 9, 10, 11, 20, 37]


def exponential(initial, decay_steps, rate, staircase=False):
    def formula(step):
        p = step / decay_steps
        return initial * rate ** (math.floor(p) if staircase else p)

    return formula


def inverse_time(initial, decay_steps, rate, staircase=False):
    def formula(step):
        p = step / decay_steps
        return initial / (1 + rate * (math.floor(p) if staircase else p))

    return formula


def piecewise(boundaries, values):
    def formula(step):
        for boundary, value in zip(boundaries, values):
            if step <= boundary:
                return value
        return values[-1]

    return formula


def polynomial(initial, decay_steps, end=0.0001, power=1.0, cycle=False):
    def formula(step):
        steps = decay_steps
        if cycle:
            steps = decay_steps * (1 if step == 0 else math.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        return (initial - end) * (1 - step / steps) ** power + end

    return formula


def cosine_value(fraction, alpha):
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha


def cosine(initial, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
    def formula(step):
        if warmup_target is None:
            return initial * cosine_value(min(step, decay_steps) / decay_steps, alpha)
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return (warmup_target - initial) * step / warmup_steps + initial
        return warmup_target * cosine_value((step - warmup_steps) / decay_steps, alpha)

    return formula


def cosine_restarts(initial, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0):
    def formula(step):
        fraction = step / first_decay_steps
        if t_mul == 1.0:
            restarts = math.floor(fraction)
            fraction -= restarts
        else:
            restarts = math.floor(math.log(1 - fraction * (1 - t_mul)) / math.log(t_mul))
            fraction = (fraction - (1 - t_mul**restarts) / (1 - t_mul)) / t_mul**restarts
        return initial * ((1 - alpha) * m_mul**restarts * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)

    return formula


CASES = [
    pytest.param(schedules.ExponentialDecay(0.1, 4, 0.5), exponential(0.1, 4, 0.5), id="ExponentialDecay-smooth"),
    pytest.param(
        schedules.ExponentialDecay(0.1, 4, 0.5, staircase=True),
        exponential(0.1, 4, 0.5, True),
        id="ExponentialDecay-staircase",
    ),
    pytest.param(schedules.InverseTimeDecay(0.2, 3, 0.7), inverse_time(0.2, 3, 0.7), id="InverseTimeDecay-smooth"),
    pytest.param(
        schedules.InverseTimeDecay(0.2, 3, 0.7, staircase=True),
        inverse_time(0.2, 3, 0.7, True),
        id="InverseTimeDecay-staircase",
    ),
    pytest.param(
        schedules.PiecewiseConstantDecay([2, 10], [0.3, 0.2, 0.1]),
        piecewise([2, 10], [0.3, 0.2, 0.1]),
        id="PiecewiseConstantDecay-two",
    ),
    pytest.param(
        schedules.PiecewiseConstantDecay([5], [1.0, 0.5]),
        piecewise([5], [1.0, 0.5]),
        id="PiecewiseConstantDecay-one",
    ),
    pytest.param(schedules.PolynomialDecay(0.1, 10), polynomial(0.1, 10), id="PolynomialDecay-linear"),
    pytest.param(
        schedules.PolynomialDecay(0.1, 10, 0.01, power=2.0),
        polynomial(0.1, 10, 0.01, 2.0),
        id="PolynomialDecay-power",
    ),
    pytest.param(
        schedules.PolynomialDecay(0.1, 4, 0.01, power=0.5, cycle=True),
        polynomial(0.1, 4, 0.01, 0.5, True),
        id="PolynomialDecay-cycle",
    ),
    pytest.param(schedules.CosineDecay(0.1, 10), cosine(0.1, 10), id="CosineDecay-plain"),
    pytest.param(schedules.CosineDecay(0.1, 10, alpha=0.2), cosine(0.1, 10, 0.2), id="CosineDecay-alpha"),
    pytest.param(
        schedules.CosineDecay(0.0, 8, alpha=0.1, warmup_target=0.2, warmup_steps=4),
        cosine(0.0, 8, 0.1, 0.2, 4),
        id="CosineDecay-warmup",
    ),
    pytest.param(
        schedules.CosineDecay(0.05, 8, warmup_target=0.2),
        cosine(0.05, 8, 0.0, 0.2, 0),
        id="CosineDecay-warmup-zero-steps",
    ),
    pytest.param(
        schedules.CosineDecayRestarts(0.1, 4, t_mul=1.0, m_mul=0.5),
        cosine_restarts(0.1, 4, 1.0, 0.5),
        id="CosineDecayRestarts-fixed-period",
    ),
    pytest.param(
        schedules.CosineDecayRestarts(0.1, 3, t_mul=2.0, m_mul=0.8, alpha=0.1),
        cosine_restarts(0.1, 3, 2.0, 0.8, 0.1),
        id="CosineDecayRestarts-growing",
    ),
]


@pytest.mark.parametrize("schedule, formula", CASES)
def test_schedule_matches_formula(schedule, formula):
    for step in STEPS:
        for given in (step, ops.convert_to_tensor(np.int32(step)), ops.convert_to_tensor(np.float32(step))):
            value = schedule(given)
            support.assert_dtype(value, "float32")
            support.assert_close(value, np.float32(formula(step)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("schedule, formula", [CASES[i] for i in (1, 4, 8, 11, 14)])
def test_schedule_in_compiled_function(schedule, formula):
    # The step is traced inside jax.jit / tf.function: the schedule must not branch on its value in Python.
    jit_compile = BACKEND in ("jax", "tensorflow")
    compiled = backend.active.trainer.make_step(schedule, [], jit_compile=jit_compile)
    for step in (0, 3, 11, 37):
        value = compiled(ops.convert_to_tensor(np.int32(step)))
        support.assert_close(value, np.float32(formula(step)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("schedule, formula", CASES)
def test_config_round_trip(schedule, formula):
    config = schedules.serialize(schedule)
    assert config["class_name"] == type(schedule).__name__
    clone = schedules.deserialize(config)
    assert type(clone) is type(schedule) and clone.get_config() == schedule.get_config()
    assert type(schedule).from_config(schedule.get_config()).get_config() == schedule.get_config()
    support.assert_close(clone(7), np.float32(formula(7)), rtol=1e-6, atol=1e-7)


def test_default_names_and_repr():
    assert schedules.ExponentialDecay(0.1, 1, 0.9).name == "ExponentialDecay"
    assert schedules.PiecewiseConstantDecay([1], [0.1, 0.01]).name == "PiecewiseConstant"
    assert schedules.PolynomialDecay(0.1, 1).get_config()["end_learning_rate"] == 0.0001
    assert schedules.CosineDecayRestarts(0.1, 1).name == "SGDRDecay"
    assert repr(schedules.InverseTimeDecay(0.1, 2, 0.5)).startswith("InverseTimeDecay(initial_learning_rate=0.1")


def test_custom_schedule_and_deserialize_errors():
    class Halving(schedules.LearningRateSchedule):
        def __init__(self, initial):
            self.initial = initial

        def __call__(self, step):
            return ops.multiply(self.initial, ops.power(0.5, ops.cast(step, "float32")))

        def get_config(self):
            return {"initial": self.initial}

    clone = schedules.deserialize(schedules.serialize(Halving(0.8)), custom_objects={"Halving": Halving})
    support.assert_close(clone(3), np.float32(0.1))
    with pytest.raises(ValueError, match="Could not deserialize learning-rate schedule 'Halving'.*ExponentialDecay"):
        schedules.deserialize(schedules.serialize(Halving(0.8)))
    with pytest.raises(ValueError, match="Expected a dict with keys 'class_name' and 'config'"):
        schedules.deserialize("ExponentialDecay")
    with pytest.raises(TypeError, match="abstract"):
        schedules.LearningRateSchedule()


@pytest.mark.parametrize(
    "build, error, match",
    [
        pytest.param(
            lambda: schedules.ExponentialDecay(0.1, 0, 0.5),
            ValueError,
            r"ExponentialDecay: argument `decay_steps` must be > 0. Received: decay_steps=0",
            id="ExponentialDecay-decay_steps",
        ),
        pytest.param(
            lambda: schedules.ExponentialDecay(0.1, 10, -0.5),
            ValueError,
            "`decay_rate` must be >= 0",
            id="ExponentialDecay-decay_rate",
        ),
        pytest.param(
            lambda: schedules.ExponentialDecay("0.1", 10, 0.5),
            TypeError,
            "`initial_learning_rate` must be a real number. Received: initial_learning_rate='0.1'",
            id="ExponentialDecay-type",
        ),
        pytest.param(
            lambda: schedules.InverseTimeDecay(0.1, -1, 0.5),
            ValueError,
            "`decay_steps` must be > 0",
            id="InverseTimeDecay-decay_steps",
        ),
        pytest.param(
            lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]),
            ValueError,
            r"`values` must have exactly one more entry than `boundaries`. "
            r"Received: boundaries=\[1, 2\] \(length 2\), values=\[0.1, 0.2\] \(length 2\)",
            id="PiecewiseConstantDecay-lengths",
        ),
        pytest.param(
            lambda: schedules.PiecewiseConstantDecay([5, 2], [0.1, 0.2, 0.3]),
            ValueError,
            "must be strictly increasing",
            id="PiecewiseConstantDecay-order",
        ),
        pytest.param(
            lambda: schedules.PiecewiseConstantDecay([1], [0.1, None]),
            TypeError,
            "`values` must be a real number. Received: values=None",
            id="PiecewiseConstantDecay-type",
        ),
        pytest.param(
            lambda: schedules.PolynomialDecay(0.1, 0),
            ValueError,
            "`decay_steps` must be > 0",
            id="PolynomialDecay-decay_steps",
        ),
        pytest.param(
            lambda: schedules.PolynomialDecay(0.1, 10, power=-1.0),
            ValueError,
            "`power` must be >= 0",
            id="PolynomialDecay-power",
        ),
        pytest.param(
            lambda: schedules.CosineDecay(0.1, 0),
            ValueError,
            "CosineDecay: argument `decay_steps` must be > 0",
            id="CosineDecay-decay_steps",
        ),
        pytest.param(
            lambda: schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=-3),
            ValueError,
            "`warmup_steps` must be >= 0",
            id="CosineDecay-warmup_steps",
        ),
        pytest.param(
            lambda: schedules.CosineDecayRestarts(0.1, 10, t_mul=0.0),
            ValueError,
            "`t_mul` must be > 0",
            id="CosineDecayRestarts-t_mul",
        ),
    ],
)
def test_bad_arguments(build, error, match):
    with pytest.raises(error, match=match):
        build()
