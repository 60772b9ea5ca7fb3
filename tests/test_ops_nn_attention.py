"""dot_product_attention against a per-example, per-head NumPy loop (Keras (batch, seq, heads, dim) layout)."""

import math

import numpy as np
import pytest

import nn_support
import support
from kerasx import ops


def rand(shape, seed=0):
    return support.random_array(shape, "float32", -1.0, 1.0, np.random.default_rng(seed))


def np_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False):
    batch, query_length, num_heads, head_dim = query.shape
    key_length, num_kv_heads = key.shape[1], key.shape[2]
    scale = 1 / math.sqrt(head_dim) if scale is None else scale
    logits_shape = (batch, num_heads, query_length, key_length)
    out = np.zeros((batch, query_length, num_heads, value.shape[-1]))
    for b in range(batch):
        for n in range(num_heads):
            kv = n // (num_heads // num_kv_heads)
            logits = query[b, :, n] @ key[b, :, kv].T * scale
            if bias is not None:
                logits = logits + np.broadcast_to(bias, logits_shape)[b, n]
            keep = np.ones((query_length, key_length), bool)
            if mask is not None:
                keep &= np.broadcast_to(mask, logits_shape)[b, n]
            if is_causal:
                keep &= np.arange(key_length)[None, :] <= np.arange(query_length)[:, None]
            # Masked logits become equal and very negative: fully masked rows average all values uniformly.
            logits = np.where(keep, logits, -1e30)
            weights = np.exp(logits - logits.max(-1, keepdims=True))
            weights /= weights.sum(-1, keepdims=True)
            out[b, :, n] = weights @ value[b, :, kv]
    return out


def causal_free_mask(shape, seed):
    return np.random.default_rng(seed).random(shape) > 0.3


CASES = [
    pytest.param((2, 3, 4, 5), (2, 6, 4, 5), (2, 6, 4, 5), {}, id="dot_product_attention-mha"),
    pytest.param((2, 3, 4, 5), (2, 6, 2, 5), (2, 6, 2, 5), {}, id="dot_product_attention-gqa"),
    pytest.param((2, 3, 4, 5), (2, 6, 1, 5), (2, 6, 1, 7), {}, id="dot_product_attention-mqa-value_dim"),
    pytest.param((2, 4, 2, 3), (2, 4, 2, 3), (2, 4, 2, 3), {"is_causal": True}, id="dot_product_attention-causal"),
    pytest.param(
        (2, 3, 2, 3), (2, 5, 2, 3), (2, 5, 2, 3), {"is_causal": True}, id="dot_product_attention-causal-cross"
    ),
    pytest.param((2, 3, 2, 4), (2, 5, 2, 4), (2, 5, 2, 4), {"scale": 0.7}, id="dot_product_attention-scale"),
    pytest.param((2, 3, 2, 4), (2, 5, 2, 4), (2, 5, 2, 4), {"bias": (1, 2, 3, 5)}, id="dot_product_attention-bias"),
    pytest.param((2, 3, 2, 4), (2, 5, 2, 4), (2, 5, 2, 4), {"bias": (3, 5)}, id="dot_product_attention-bias_2d"),
    pytest.param((2, 3, 2, 4), (2, 5, 2, 4), (2, 5, 2, 4), {"mask": (2, 1, 3, 5)}, id="dot_product_attention-mask"),
    pytest.param(
        (2, 4, 4, 3),
        (2, 4, 2, 3),
        (2, 4, 2, 3),
        {"mask": (4, 4), "is_causal": True, "bias": (2, 4, 4, 4)},
        id="dot_product_attention-gqa-mask-causal-bias",
    ),
]


def make_arguments(kwargs, seed=10):
    arguments = dict(kwargs)
    if "bias" in kwargs:
        arguments["bias"] = rand(kwargs["bias"], seed)
    if "mask" in kwargs:
        arguments["mask"] = causal_free_mask(kwargs["mask"], seed + 1)
    return arguments


@pytest.mark.parametrize("query_shape, key_shape, value_shape, kwargs", CASES)
def test_dot_product_attention(query_shape, key_shape, value_shape, kwargs):
    query, key, value = rand(query_shape, 1), rand(key_shape, 2), rand(value_shape, 3)
    arguments = make_arguments(kwargs)
    out = support.check_symbolic(lambda q, k, v: ops.dot_product_attention(q, k, v, **arguments), query, key, value)
    support.assert_dtype(out, "float32")
    expected = np_attention(*(a.astype(np.float64) for a in (query, key, value)), **arguments)
    support.assert_close(out, expected, rtol=1e-5, atol=1e-6)


def test_dot_product_attention_fully_masked_rows_average_uniformly():
    query, key, value = rand((1, 2, 1, 3), 4), rand((1, 3, 1, 3), 5), rand((1, 3, 1, 2), 6)
    mask = np.array([[True, False, True], [False, False, False]])
    out = support.to_numpy(ops.dot_product_attention(query, key, value, mask=mask))
    assert np.all(np.isfinite(out))
    support.assert_close(out[0, 1, 0], value[0, :, 0].mean(0), atol=1e-6)
    support.assert_close(out, np_attention(query * 1.0, key * 1.0, value * 1.0, mask=mask), atol=1e-6)


def test_dot_product_attention_half_precision():
    query, key, value = (rand((1, 3, 2, 4), s).astype("float16") for s in (7, 8, 9))
    out = ops.dot_product_attention(query, key, value, is_causal=True)
    support.assert_dtype(out, "float16")
    expected = np_attention(*(a.astype(np.float64) for a in (query, key, value)), is_causal=True)
    support.assert_close(out, expected, rtol=1e-2, atol=1e-2)


@support.needs_gradients
@pytest.mark.parametrize(
    "query_shape, key_shape, kwargs",
    [
        pytest.param(
            (1, 3, 2, 3), (1, 4, 2, 3), {"bias": (1, 1, 3, 4), "scale": 0.5}, id="dot_product_attention-bias-grad"
        ),
        pytest.param(
            (1, 3, 4, 2), (1, 3, 2, 2), {"is_causal": True, "mask": (3, 3)}, id="dot_product_attention-gqa-mask-grad"
        ),
        # No mask or bias: torch's fused kernel.
        pytest.param((1, 3, 2, 3), (1, 4, 2, 3), {}, id="dot_product_attention-plain-grad"),
        pytest.param((1, 3, 4, 2), (1, 3, 2, 2), {"is_causal": True}, id="dot_product_attention-gqa-causal-grad"),
    ],
)
def test_dot_product_attention_gradient(query_shape, key_shape, kwargs):
    arguments = make_arguments(kwargs, seed=12)
    nn_support.check_gradients(
        lambda q, k, v: ops.dot_product_attention(q, k, v, **arguments),
        lambda q, k, v: np_attention(q, k, v, **arguments),
        rand(query_shape, 13),
        rand(key_shape, 14),
        rand(key_shape, 15),
    )


ERROR_CASES = [
    pytest.param((2, 3, 4), (2, 3, 4), (2, 3, 4), {}, "rank-4 tensors", id="dot_product_attention-rank3"),
    pytest.param(
        (2, 3, 3, 4),
        (2, 5, 2, 4),
        (2, 5, 2, 4),
        {},
        "multiple of the key/value heads",
        id="dot_product_attention-heads",
    ),
    pytest.param(
        (2, 3, 2, 4),
        (2, 5, 2, 3),
        (2, 5, 2, 4),
        {},
        "query and key on batch and head_dim",
        id="dot_product_attention-head_dim",
    ),
    pytest.param(
        (2, 3, 2, 4),
        (2, 5, 2, 4),
        (2, 5, 2, 4),
        {"bias": (3, 4)},
        r"`bias` must broadcast",
        id="dot_product_attention-bias_shape",
    ),
    pytest.param(
        (2, 3, 2, 4),
        (2, 5, 2, 4),
        (2, 5, 2, 4),
        {"mask": (1, 2, 2, 3, 5)},
        r"`mask` must broadcast",
        id="dot_product_attention-mask_rank",
    ),
]


@pytest.mark.parametrize("query_shape, key_shape, value_shape, kwargs, match", ERROR_CASES)
def test_dot_product_attention_errors(query_shape, key_shape, value_shape, kwargs, match):
    arguments = make_arguments(kwargs)
    with pytest.raises(ValueError, match=match):
        ops.dot_product_attention(rand(query_shape), rand(key_shape), rand(value_shape), **arguments)
    with pytest.raises(ValueError, match=match):
        ops.dot_product_attention(
            ops.KerasTensor(query_shape), ops.KerasTensor(key_shape), ops.KerasTensor(value_shape), **arguments
        )
