"""Hand-written TensorFlow loops without Keras (TF 2.21's `tf.keras` is Keras 3): `tf.Variable`s, a `tf.function`
train step with `GradientTape`, and TensorFlow's own fused Adam kernel (`tf.raw_ops.ResourceApplyAdam`, the op
behind TF1's `AdamOptimizer`); optionally XLA-compiled (`jit_compile=True`, what kerasx and Keras 3 use on TF)."""

from __future__ import annotations

import time

import numpy as np
import tensorflow as tf

import _workloads as W


def _dense(p, name, x):
    return tf.matmul(x, p[f"{name}/kernel"]) + p[f"{name}/bias"]


def _dense3(p, name, x):
    return tf.einsum("btd,de->bte", x, p[f"{name}/kernel"]) + p[f"{name}/bias"]


def _conv_relu_pool(p, name, x):
    y = tf.nn.relu(tf.nn.conv2d(x, p[f"{name}/kernel"], 1, "VALID") + p[f"{name}/bias"])
    return tf.nn.max_pool2d(y, 2, 2, "VALID")


def _conv(p, name, x, strides=1):
    return tf.nn.conv2d(x, p[f"{name}/kernel"], strides, "SAME") + p[f"{name}/bias"]


def _deconv(p, name, x):
    kernel = tf.transpose(p[f"{name}/kernel"], (0, 1, 3, 2))  # HWIO (I: channels read) -> TensorFlow's HWOI
    shape = tf.shape(x)
    output_shape = tf.stack([shape[0], 2 * shape[1], 2 * shape[2], kernel.shape[2]])
    return tf.nn.conv2d_transpose(x, kernel, output_shape, 2, "SAME") + p[f"{name}/bias"]


def _lstm(p, name, x):
    """Last hidden state; the input projection is one matmul, the recurrence a `tf.scan` (a while loop)."""
    units = p[f"{name}/recurrent"].shape[0]
    projected = tf.transpose(tf.einsum("btd,de->bte", x, p[f"{name}/kernel"]) + p[f"{name}/bias"], (1, 0, 2))
    recurrent = p[f"{name}/recurrent"]

    def cell(carry, z):
        h, c = tf.unstack(carry)
        i, f, g, o = tf.split(z + tf.matmul(h, recurrent), 4, axis=-1)
        c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
        return tf.stack([tf.sigmoid(o) * tf.tanh(c), c])

    zeros = tf.zeros((2, tf.shape(x)[0], units), x.dtype)
    return tf.scan(cell, projected, initializer=zeros)[-1, 0]


def _layer_norm(p, name, x):
    mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
    return (x - mean) * tf.math.rsqrt(var + 1e-5) * p[f"{name}/gamma"] + p[f"{name}/beta"]


def _encoder(p, x):
    dim, heads = W.TF_DIM, W.TF_HEADS
    q, k, v = (tf.reshape(_dense3(p, n, x), (-1, W.TF_SEQ, heads, dim // heads)) for n in ("query", "key", "value"))
    scores = tf.einsum("bqhd,bkhd->bhqk", q, k) * (1.0 / np.sqrt(dim // heads))
    attended = tf.reshape(tf.einsum("bhqk,bkhd->bqhd", tf.nn.softmax(scores, -1), v), (-1, W.TF_SEQ, dim))
    x = _layer_norm(p, "norm0", x + _dense3(p, "attention_output", attended))
    return _layer_norm(p, "norm1", x + _dense3(p, "ff1", tf.nn.relu(_dense3(p, "ff0", x))))


def forward(name, p, x):
    if name == "mlp":
        x = tf.nn.relu(_dense(p, "dense0", x))
        return _dense(p, "dense2", tf.nn.relu(_dense(p, "dense1", x)))
    if name == "cnn":
        x = _conv_relu_pool(p, "conv1", _conv_relu_pool(p, "conv0", x))
        return _dense(p, "dense1", tf.nn.relu(_dense(p, "dense0", tf.reshape(x, (-1, 5 * 5 * 64)))))
    if name == "lstm":
        return _dense(p, "out", _lstm(p, "lstm", tf.gather(p["embedding"], x)))
    if name in ("transformer", "mha"):
        x = _encoder(p, tf.gather(p["embedding"], x) + p["position"])
        return _dense(p, "out", tf.reduce_mean(x, 1))
    if name == "autoencoder":
        x = tf.nn.relu(_conv(p, "conv1", tf.nn.relu(_conv(p, "conv0", x, 2)), 2))
        x = tf.nn.relu(_deconv(p, "deconv1", tf.nn.relu(_deconv(p, "deconv0", x))))
        return tf.sigmoid(_conv(p, "conv2", x))
    if name == "two_io":
        tokens, aux = x
        h = _lstm(p, "lstm", tf.gather(p["embedding"], tokens))
        x = tf.concat([h, aux], -1)
        for i in range(3):
            x = tf.nn.relu(_dense(p, f"dense{i}", x))
        return _dense(p, "main_output", x), _dense(p, "aux_output", h)
    raise ValueError(name)


def _bce_logits(logits, labels):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))


def loss_fn(name, p, x, y):
    logits = forward(name, p, x)
    if name in ("mlp", "cnn", "transformer", "mha"):
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    if name == "autoencoder":
        return tf.reduce_mean(tf.square(logits - y))
    if name == "lstm":
        return _bce_logits(logits, y)
    main, aux = logits
    return _bce_logits(main, y[0]) + W.AUX_LOSS_WEIGHT * _bce_logits(aux, y[1])


def _to_tf(data):
    if isinstance(data, list):
        return [_to_tf(d) for d in data]
    return tf.constant(data)


class TensorFlowContender:
    """`tf.function` train step (XLA with `jit_compile=True`) over `tf.Variable`s, fed NumPy batches."""

    def __init__(self, workload: W.Workload, x, y, jit_compile: bool = False):
        name = self.name = workload.name
        self.params = {k: tf.Variable(v, name=k.replace("/", "_")) for k, v in W.init_params(name).items()}
        variables = list(self.params.values())
        self.slots = [(tf.Variable(tf.zeros_like(v)), tf.Variable(tf.zeros_like(v))) for v in variables]
        self.iterations = tf.Variable(0.0)
        self.batches = W.split_batches(x, y, workload.batch_size)  # NumPy, as every contender gets them
        lr, eps = tf.constant(W.LEARNING_RATE), tf.constant(W.EPSILON)
        beta1, beta2 = tf.constant(0.9), tf.constant(0.999)

        def step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(name, self.params, x, y)
            grads = tape.gradient(loss, variables)
            self.iterations.assign_add(1.0)
            beta1_power, beta2_power = beta1 ** self.iterations, beta2 ** self.iterations
            for var, (m, v), grad in zip(variables, self.slots, grads):
                tf.raw_ops.ResourceApplyAdam(var=var.handle, m=m.handle, v=v.handle, beta1_power=beta1_power,
                                             beta2_power=beta2_power, lr=lr, beta1=beta1, beta2=beta2,
                                             epsilon=eps, grad=tf.convert_to_tensor(grad))
            return loss

        self._step = tf.function(step, jit_compile=jit_compile)
        self._forward = tf.function(lambda x: forward(name, self.params, x), jit_compile=jit_compile,
                                    reduce_retracing=True)

    def _run(self, steps):
        loss = None
        for x, y in self.batches[:steps]:
            loss = self._step(_to_tf(x), _to_tf(y))
        return float(loss)

    def first_step(self) -> float:
        start = time.perf_counter()
        self._run(1)
        return time.perf_counter() - start

    def train(self, steps: int):
        start = time.perf_counter()
        loss = self._run(steps)
        return time.perf_counter() - start, loss

    def predict(self, x):
        outputs = self._forward(_to_tf(x))
        if isinstance(outputs, tuple):
            return [o.numpy() for o in outputs]
        return outputs.numpy()

    call = predict
