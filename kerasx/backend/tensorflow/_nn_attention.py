"""TensorFlow backend: scaled dot-product attention, written with einsum so every engine masks the same way."""

from __future__ import annotations

import tensorflow as tf


def dot_product_attention(
    query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
    attn_logits_soft_cap=None,
):
    _, query_length, num_heads, head_dim = query.shape
    key_length, num_kv_heads = key.shape[1], key.shape[2]
    group_size = num_heads // num_kv_heads
    batch = tf.shape(query)[0]
    grouped = tf.reshape(query, [batch, query_length, num_kv_heads, group_size, head_dim])
    logits = tf.einsum("btkgh,bskh->bkgts", grouped, key)
    logits = tf.reshape(logits, [batch, num_heads, query_length, key_length]) * scale  # pyright: ignore[reportOperatorIssue] - kerasx.ops passes a value
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * tf.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + bias
    keep = mask
    if is_causal:
        causal = tf.cast(tf.linalg.band_part(tf.ones((query_length, key_length)), -1, 0), tf.bool)
        keep = causal if keep is None else tf.logical_and(keep, causal)
    if keep is not None:
        logits = tf.where(keep, logits, tf.fill(tf.shape(logits), tf.cast(logits.dtype.min, logits.dtype)))
    weights = tf.reshape(tf.nn.softmax(logits, axis=-1), [batch, num_kv_heads, group_size, query_length, key_length])
    out = tf.einsum("bkgts,bskh->btkgh", weights, value)
    return tf.reshape(out, [batch, query_length, num_heads, value.shape[-1]])
