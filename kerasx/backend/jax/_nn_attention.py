"""JAX backend: scaled dot-product attention, written with einsum so every engine masks the same way."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp


@functools.partial(jax.jit, static_argnames=("is_causal", "flash_attention", "attn_logits_soft_cap"))
def dot_product_attention(
    query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
    attn_logits_soft_cap=None,
):
    batch, query_length, num_heads, head_dim = query.shape
    key_length, num_kv_heads = key.shape[1], key.shape[2]
    group_size = num_heads // num_kv_heads
    grouped = query.reshape(batch, query_length, num_kv_heads, group_size, head_dim)
    logits = jnp.einsum("btkgh,bskh->bkgts", grouped, key).reshape(batch, num_heads, query_length, key_length)
    logits = logits * scale  # pyright: ignore[reportOperatorIssue] - kerasx.ops passes a value
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * jnp.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + bias
    keep = mask
    if is_causal:
        causal = jnp.tril(jnp.ones((query_length, key_length), bool))
        keep = causal if keep is None else jnp.logical_and(keep, causal)
    if keep is not None:
        # A large finite value (not -inf) keeps fully masked rows finite: they average the values uniformly.
        logits = jnp.where(keep, logits, jnp.finfo(logits.dtype).min)
    weights = jax.nn.softmax(logits, axis=-1)
    weights = weights.reshape(batch, num_kv_heads, group_size, query_length, key_length)
    out = jnp.einsum("bkgts,bskh->btkgh", weights, value)
    return out.reshape(batch, query_length, num_heads, value.shape[-1])
