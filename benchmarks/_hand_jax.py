"""Hand-written JAX loops: pure functions of a parameter dict, one `jax.jit` train step with donated parameters and
optimizer state, optax's Adam when installed (a hand-written Adam otherwise)."""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np

import _workloads as W

try:
    import optax
except ImportError:  # optax is optional: the same update rule written out
    optax = None


def _dense(p, name, x):
    return x @ p[f"{name}/kernel"] + p[f"{name}/bias"]


def _conv_relu_pool(p, name, x):
    y = jax.lax.conv_general_dilated(x, p[f"{name}/kernel"], (1, 1), "VALID",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC"))
    y = jax.nn.relu(y + p[f"{name}/bias"])
    return jax.lax.reduce_window(y, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def _conv(p, name, x, strides=1):
    y = jax.lax.conv_general_dilated(x, p[f"{name}/kernel"], (strides, strides), "SAME",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return y + p[f"{name}/bias"]


def _deconv(p, name, x):
    y = jax.lax.conv_transpose(x, p[f"{name}/kernel"], (2, 2), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return y + p[f"{name}/bias"]


def _lstm(p, name, x):
    """Last hidden state. Each step projects its own inputs: under XLA on CPU that differentiates about 2x faster
    than one projection of the whole sequence before the scan (whose gradient stacks a (time, batch, 4 * units)
    cotangent)."""
    units = p[f"{name}/recurrent"].shape[0]
    kernel, recurrent, bias = p[f"{name}/kernel"], p[f"{name}/recurrent"], p[f"{name}/bias"]

    def cell(carry, x_t):
        h, c = carry
        i, f, g, o = jnp.split(x_t @ kernel + h @ recurrent + bias, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h, c), None

    zeros = jnp.zeros((x.shape[0], units), x.dtype)
    (h, _), _ = jax.lax.scan(cell, (zeros, zeros), jnp.swapaxes(x, 0, 1))
    return h


def _layer_norm(p, name, x):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + 1e-5) * p[f"{name}/gamma"] + p[f"{name}/beta"]


def _encoder(p, x):
    batch, length, dim = x.shape
    heads = [_dense(p, n, x).reshape(batch, length, W.TF_HEADS, dim // W.TF_HEADS) for n in ("query", "key", "value")]
    attended = jax.nn.dot_product_attention(*heads).reshape(batch, length, dim)
    x = _layer_norm(p, "norm0", x + _dense(p, "attention_output", attended))
    return _layer_norm(p, "norm1", x + _dense(p, "ff1", jax.nn.relu(_dense(p, "ff0", x))))


def _bce_logits(logits, labels):
    return jnp.mean(jnp.logaddexp(logits, 0.0) - labels * logits)


def _sparse_ce(logits, labels):
    return jnp.mean(jax.nn.logsumexp(logits, -1) - jnp.take_along_axis(logits, labels[:, None], -1)[:, 0])


def forward(name, p, x):
    """Logits (a pair for the two-output model)."""
    if name == "mlp":
        x = jax.nn.relu(_dense(p, "dense0", x))
        return _dense(p, "dense2", jax.nn.relu(_dense(p, "dense1", x)))
    if name == "cnn":
        x = _conv_relu_pool(p, "conv1", _conv_relu_pool(p, "conv0", x))
        x = jax.nn.relu(_dense(p, "dense0", x.reshape(x.shape[0], -1)))
        return _dense(p, "dense1", x)
    if name == "lstm":
        return _dense(p, "out", _lstm(p, "lstm", p["embedding"][x]))
    if name in ("transformer", "mha"):
        x = _encoder(p, p["embedding"][x] + p["position"])
        return _dense(p, "out", x.mean(1))
    if name == "autoencoder":
        x = jax.nn.relu(_conv(p, "conv1", jax.nn.relu(_conv(p, "conv0", x, 2)), 2))
        x = jax.nn.relu(_deconv(p, "deconv1", jax.nn.relu(_deconv(p, "deconv0", x))))
        return jax.nn.sigmoid(_conv(p, "conv2", x))
    if name == "two_io":
        tokens, aux = x
        h = _lstm(p, "lstm", p["embedding"][tokens])
        x = jnp.concatenate([h, aux], -1)
        for i in range(3):
            x = jax.nn.relu(_dense(p, f"dense{i}", x))
        return _dense(p, "main_output", x), _dense(p, "aux_output", h)
    raise ValueError(name)


def loss_fn(name, p, x, y):
    logits = forward(name, p, x)
    if name in ("mlp", "cnn", "transformer", "mha"):
        return _sparse_ce(logits, y)
    if name == "autoencoder":
        return jnp.mean((logits - y) ** 2)
    if name == "lstm":
        return _bce_logits(logits, y)
    main, aux = logits
    return _bce_logits(main, y[0]) + W.AUX_LOSS_WEIGHT * _bce_logits(aux, y[1])


def _adam():
    if optax is not None:
        return optax.adam(W.LEARNING_RATE, eps=W.EPSILON)

    class Adam:
        """Adam as optax computes it (bias-corrected moments), when optax is not installed."""

        @staticmethod
        def init(params):
            # Two trees of zeros, not one tree twice: the step donates the state, and a buffer donated twice is
            # an error.
            return (jnp.zeros((), jnp.int32), jax.tree.map(jnp.zeros_like, params),
                    jax.tree.map(jnp.zeros_like, params))

        @staticmethod
        def update(grads, state, params=None):
            count, m, v = state
            count = count + 1
            m = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
            v = jax.tree.map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
            c1, c2 = 1 - 0.9 ** count, 1 - 0.999 ** count
            updates = jax.tree.map(lambda m, v: -W.LEARNING_RATE * (m / c1) / (jnp.sqrt(v / c2) + W.EPSILON), m, v)
            return updates, (count, m, v)

    return Adam


class JaxContender:
    """`jax.jit` train step over (params, opt_state) with both donated, fed NumPy batches."""

    def __init__(self, workload: W.Workload, x, y):
        name = self.name = workload.name
        self.workload = workload
        optimizer = _adam()
        self.params = {k: jnp.asarray(v) for k, v in W.init_params(name).items()}
        self.opt_state = optimizer.init(self.params)
        # NumPy batches, as every contender gets them: the compiled step's call transfers them, as a loop over an
        # in-memory dataset would.
        self.batches = W.split_batches(x, y, workload.batch_size)

        def step(params, opt_state, x, y):
            loss, grads = jax.value_and_grad(lambda p: loss_fn(name, p, x, y))(params)
            updates, opt_state = optimizer.update(grads, opt_state, params)
            params = jax.tree.map(lambda p, u: p + u, params, updates)
            return params, opt_state, loss

        self._step = jax.jit(step, donate_argnums=(0, 1))
        self._forward = jax.jit(lambda p, x: forward(name, p, x))

    def _run(self, steps):
        loss = None
        for x, y in self.batches[:steps]:
            self.params, self.opt_state, loss = self._step(self.params, self.opt_state, x, y)
        return float(loss)  # waits for the last step

    def first_step(self) -> float:
        start = time.perf_counter()
        self._run(1)
        return time.perf_counter() - start

    def train(self, steps: int):
        start = time.perf_counter()
        loss = self._run(steps)
        return time.perf_counter() - start, loss

    def predict(self, x):
        return jax.tree.map(np.asarray, self._forward(self.params, jax.tree.map(jnp.asarray, x)))

    call = predict
