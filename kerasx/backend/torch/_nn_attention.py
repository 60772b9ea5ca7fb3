"""PyTorch backend: scaled dot-product attention, written with einsum so every engine masks the same way
(F.scaled_dot_product_attention returns NaN for fully masked rows and wants (batch, heads, seq, dim))."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def dot_product_attention(
    query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
    attn_logits_soft_cap=None,
):
    if mask is None and bias is None and attn_logits_soft_cap is None and flash_attention is not False:
        # torch's fused kernel (~1.5x faster forward and backward here); with no mask no row is fully masked, the
        # one case where it would differ (NaN). Its causal mask is top-left aligned, as below.
        fused = F.scaled_dot_product_attention(
            query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2), is_causal=is_causal, scale=scale,
            enable_gqa=query.shape[2] != key.shape[2],
        )
        return fused.transpose(1, 2)
    batch, query_length, num_heads, head_dim = query.shape
    key_length, num_kv_heads = key.shape[1], key.shape[2]
    group_size = num_heads // num_kv_heads
    grouped = query.reshape(batch, query_length, num_kv_heads, group_size, head_dim)
    logits = torch.einsum("btkgh,bskh->bkgts", grouped, key).reshape(batch, num_heads, query_length, key_length)
    logits = logits * scale  # pyright: ignore[reportOperatorIssue] - kerasx.ops passes a value
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * torch.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + bias
    keep = mask
    if is_causal:
        causal = torch.tril(torch.ones((query_length, key_length), dtype=torch.bool, device=query.device))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        lowest = torch.full((), torch.finfo(logits.dtype).min, dtype=logits.dtype, device=logits.device)
        logits = torch.where(keep, logits, lowest)
    weights = torch.softmax(logits, dim=-1)
    weights = weights.reshape(batch, num_kv_heads, group_size, query_length, key_length)
    out = torch.einsum("bkgts,bskh->btkgh", weights, value)
    return out.reshape(batch, query_length, num_heads, value.shape[-1])
