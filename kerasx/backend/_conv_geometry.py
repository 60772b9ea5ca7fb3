"""Sizes and paddings of convolutions, transposed convolutions and pools along one spatial axis.

Engine-free arithmetic shared by the public ops (symbolic output shapes) and by the engines that pad explicitly, so
the two cannot disagree. "same" follows Keras/TensorFlow: the output has `ceil(length / stride)` cells and when the
total padding is odd the extra cell goes at the end (right/bottom).
"""

from __future__ import annotations


def dilated_size(kernel_size: int, dilation: int = 1) -> int:
    """Extent of a kernel with `dilation - 1` holes between its taps."""
    return (kernel_size - 1) * dilation + 1


def same_padding(length: int, kernel_size: int, stride: int, dilation: int = 1) -> tuple:
    """(before, after) padding that gives `ceil(length / stride)` outputs; the odd cell goes after."""
    num_outputs = -(-length // stride)
    total = max((num_outputs - 1) * stride + dilated_size(kernel_size, dilation) - length, 0)
    return total // 2, total - total // 2


def padding_amounts(length: int, kernel_size: int, stride: int, padding: str, dilation: int = 1) -> tuple:
    """(before, after) padding for "valid" (none) or "same"."""
    if padding == "same":
        return same_padding(length, kernel_size, stride, dilation)
    return 0, 0


def output_length(length, kernel_size: int, stride: int, padding: str, dilation: int = 1):
    """Number of outputs of a convolution or pool; None stays None (unknown size). May be <= 0 for "valid"."""
    if length is None or kernel_size is None:
        return None
    if padding == "same":
        return -(-length // stride)
    return (length - dilated_size(kernel_size, dilation)) // stride + 1


def transpose_full_length(length: int, kernel_size: int, stride: int, dilation: int = 1) -> int:
    """Length of a transposed convolution before cropping: every input cell scatters a whole (dilated) kernel."""
    return (length - 1) * stride + dilated_size(kernel_size, dilation)


def transpose_output_length(length, kernel_size: int, stride: int, padding: str, output_padding=None, dilation=1):
    """Output length of a transposed convolution (Keras semantics); None stays None."""
    if length is None or kernel_size is None:
        return None
    extent = dilated_size(kernel_size, dilation)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(extent - stride, 0)
        return length * stride
    trimmed = 2 * (extent // 2) if padding == "same" else 0
    return (length - 1) * stride + extent - trimmed + output_padding


def transpose_crop_start(kernel_size: int, stride: int, padding: str, output_padding=None, dilation: int = 1) -> int:
    """Cells dropped at the start of the full transposed output; the output is the next `transpose_output_length`.

    For "same" this is the leading padding that the matching forward convolution would use, so that the transposed
    convolution is the adjoint (gradient) of `conv` with the same arguments, as in TensorFlow.
    """
    if padding == "valid":
        return 0
    extent = dilated_size(kernel_size, dilation)
    if output_padding is None:
        spread = stride + extent - 2
    else:
        spread = extent + extent % 2 - 2 + output_padding
    return extent - 1 - min(spread // 2 + spread % 2, extent - 1)
