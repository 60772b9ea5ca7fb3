"""Shape manipulation, joining and splitting vs NumPy: values, dtypes, symbolic shapes, gradients, errors."""

import numpy as np
import pytest

import support
from kerasx import ops
from numpy_support import check_gradients, check_op, sample

X = sample((2, 3, 4), "float32", seed=20)
XI = sample((2, 3, 4), "int32", -9, 9, seed=21)

# id -> (op call, NumPy reference); each runs on X (float32) and XI (int32).
CASES = {
    "reshape-flat": (lambda x: ops.reshape(x, (6, 4)), lambda x: np.reshape(x, (6, 4))),
    "reshape-infer": (lambda x: ops.reshape(x, (-1, 2)), lambda x: np.reshape(x, (-1, 2))),
    "reshape-int": (lambda x: ops.reshape(x, 24), lambda x: np.reshape(x, 24)),
    "ravel": (ops.ravel, np.ravel),
    "transpose-default": (ops.transpose, np.transpose),
    "transpose-axes": (lambda x: ops.transpose(x, (0, 2, 1)), lambda x: np.transpose(x, (0, 2, 1))),
    "moveaxis-int": (lambda x: ops.moveaxis(x, 0, -1), lambda x: np.moveaxis(x, 0, -1)),
    "moveaxis-tuple": (lambda x: ops.moveaxis(x, (0, 1), (2, 0)), lambda x: np.moveaxis(x, (0, 1), (2, 0))),
    "swapaxes": (lambda x: ops.swapaxes(x, 0, 2), lambda x: np.swapaxes(x, 0, 2)),
    "expand_dims-int": (lambda x: ops.expand_dims(x, 1), lambda x: np.expand_dims(x, 1)),
    "expand_dims-tuple": (lambda x: ops.expand_dims(x, (0, -1)), lambda x: np.expand_dims(x, (0, -1))),
    "squeeze-axis": (lambda x: ops.squeeze(x[:, :1], axis=1), lambda x: np.squeeze(x[:, :1], axis=1)),
    "squeeze-all": (lambda x: ops.squeeze(ops.reshape(x, (2, 1, 12, 1))), lambda x: np.reshape(x, (2, 12))),
    "flip-all": (ops.flip, np.flip),
    "flip-axis": (lambda x: ops.flip(x, axis=1), lambda x: np.flip(x, axis=1)),
    "flip-tuple": (lambda x: ops.flip(x, axis=(0, 2)), lambda x: np.flip(x, axis=(0, 2))),
    "fliplr": (ops.fliplr, np.fliplr),
    "flipud": (ops.flipud, np.flipud),
    "roll-flat": (lambda x: ops.roll(x, 5), lambda x: np.roll(x, 5)),
    "roll-axis": (lambda x: ops.roll(x, -1, axis=2), lambda x: np.roll(x, -1, axis=2)),
    "roll-tuple": (lambda x: ops.roll(x, (1, 2), axis=(0, 2)), lambda x: np.roll(x, (1, 2), axis=(0, 2))),
    "rot90-1": (ops.rot90, np.rot90),
    "rot90-2": (lambda x: ops.rot90(x, k=2, axes=(1, 2)), lambda x: np.rot90(x, k=2, axes=(1, 2))),
    "rot90-3": (lambda x: ops.rot90(x, k=-1, axes=(2, 0)), lambda x: np.rot90(x, k=-1, axes=(2, 0))),
    "broadcast_to": (lambda x: ops.broadcast_to(x[:, :1], (5, 2, 3, 4)),
                     lambda x: np.broadcast_to(x[:, :1], (5, 2, 3, 4))),
    "tile-int": (lambda x: ops.tile(x, 2), lambda x: np.tile(x, 2)),
    "tile-short": (lambda x: ops.tile(x, (2, 1)), lambda x: np.tile(x, (2, 1))),
    "tile-long": (lambda x: ops.tile(x, (2, 1, 1, 3)), lambda x: np.tile(x, (2, 1, 1, 3))),
    "repeat-flat": (lambda x: ops.repeat(x, 2), lambda x: np.repeat(x, 2)),
    "repeat-axis": (lambda x: ops.repeat(x, 3, axis=1), lambda x: np.repeat(x, 3, axis=1)),
    "repeat-counts": (lambda x: ops.repeat(x, [1, 0, 2], axis=1), lambda x: np.repeat(x, [1, 0, 2], axis=1)),
    "pad-int": (lambda x: ops.pad(x, 1), lambda x: np.pad(x, 1)),
    "pad-pairs": (lambda x: ops.pad(x, ((0, 1), (2, 0), (1, 1)), constant_values=7),
                  lambda x: np.pad(x, ((0, 1), (2, 0), (1, 1)), constant_values=7)),
    "pad-reflect": (lambda x: ops.pad(x, ((1, 1), (2, 1), (0, 3)), mode="reflect"),
                    lambda x: np.pad(x, ((1, 1), (2, 1), (0, 3)), mode="reflect")),
    "pad-symmetric": (lambda x: ops.pad(x, (2, 1), mode="symmetric"), lambda x: np.pad(x, (2, 1), mode="symmetric")),
    "pad-edge": (lambda x: ops.pad(x, ((0, 0), (1, 2), (3, 0)), mode="edge"),
                 lambda x: np.pad(x, ((0, 0), (1, 2), (3, 0)), mode="edge")),
    "pad-wrap": (lambda x: ops.pad(x, ((1, 0), (0, 0), (2, 5)), mode="wrap"),
                 lambda x: np.pad(x, ((1, 0), (0, 0), (2, 5)), mode="wrap")),
    "concatenate-axis0": (lambda x: ops.concatenate([x, x[:1]]), lambda x: np.concatenate([x, x[:1]])),
    "concatenate-axis-1": (lambda x: ops.concatenate([x, x[..., :2], x], axis=-1),
                           lambda x: np.concatenate([x, x[..., :2], x], axis=-1)),
    "concatenate-none": (lambda x: ops.concatenate([x, x[0]], axis=None),
                         lambda x: np.concatenate([x, x[0]], axis=None)),
    "append": (lambda x: ops.append(x, x[1:], axis=0), lambda x: np.append(x, x[1:], axis=0)),
    "append-flat": (lambda x: ops.append(x, x[0]), lambda x: np.append(x, x[0])),
    "stack-axis0": (lambda x: ops.stack([x, x + 1]), lambda x: np.stack([x, x + 1])),
    "stack-axis-1": (lambda x: ops.stack([x, x, x], axis=-1), lambda x: np.stack([x, x, x], axis=-1)),
    "hstack": (lambda x: ops.hstack([x, x[:, :1]]), lambda x: np.hstack([x, x[:, :1]])),
    "hstack-1d": (lambda x: ops.hstack([x[0, 0], x[1, 1]]), lambda x: np.hstack([x[0, 0], x[1, 1]])),
    "vstack": (lambda x: ops.vstack([x[0], x[1, :1]]), lambda x: np.vstack([x[0], x[1, :1]])),
    "vstack-1d": (lambda x: ops.vstack([x[0, 0], x[1, 1]]), lambda x: np.vstack([x[0, 0], x[1, 1]])),
    "dstack": (lambda x: ops.dstack([x[0], x[1]]), lambda x: np.dstack([x[0], x[1]])),
    "split-sections": (lambda x: ops.split(x, 2, axis=2), lambda x: np.split(x, 2, axis=2)),
    "split-indices": (lambda x: ops.split(x, [1, 3], axis=-1), lambda x: np.split(x, [1, 3], axis=-1)),
    "array_split": (lambda x: ops.array_split(x, 3, axis=2), lambda x: np.array_split(x, 3, axis=2)),
    "hsplit": (lambda x: ops.hsplit(x, 3), lambda x: np.hsplit(x, 3)),
    "vsplit": (lambda x: ops.vsplit(x, [1]), lambda x: np.vsplit(x, [1])),
    "dsplit": (lambda x: ops.dsplit(x, 2), lambda x: np.dsplit(x, 2)),
}


# Shape ops move data without looking at it, so int32 runs only for a sample (each run costs jax a compilation).
INT_CASES = {"reshape-infer", "transpose-axes", "roll-tuple", "tile-short", "repeat-counts", "pad-pairs", "pad-reflect",
             "concatenate-axis-1", "stack-axis0", "split-indices"}


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_shape_ops(case):
    fn, reference = CASES[case]
    check_op(fn, [X], reference(X), dtype="float32")
    if case in INT_CASES:
        check_op(fn, [XI], reference(XI), dtype="int32", symbolic=False)


def test_joins_promote_dtypes():
    a = np.ones((2, 2), np.int8)
    b = np.full((1, 2), 300, np.int16)
    check_op(ops.concatenate, [[a, b]], np.concatenate([a, b]).astype("int16"), dtype="int16")
    check_op(ops.stack, [[a, np.zeros((2, 2), np.float16)]], np.stack([a, np.zeros((2, 2))]).astype("float16"),
             dtype="float16")
    check_op(ops.append, [a, 2.5], np.append(a, 2.5).astype("float32"), dtype="float32", symbolic=False)


@pytest.mark.parametrize(
    "x_shape,call,expected",
    [
        pytest.param((None, 3, 4), lambda x: ops.reshape(x, (-1, 12)), (None, 12), id="reshape-unknown"),
        pytest.param((None, 3, 4), lambda x: ops.reshape(x, (-1, 2, 2)), (None, 2, 2), id="reshape-unknown-3d"),
        pytest.param((2, 3, 4), lambda x: ops.reshape(x, (4, -1)), (4, 6), id="reshape-known"),
        pytest.param((None, 1, 4), lambda x: ops.squeeze(x), (None, 4), id="squeeze-unknown"),
        pytest.param((None, 3), lambda x: ops.tile(x, (2, 2)), (None, 6), id="tile-unknown"),
        pytest.param((None, 3), lambda x: ops.repeat(x, 2, axis=1), (None, 6), id="repeat-unknown"),
        pytest.param((None, 3), lambda x: ops.repeat(x, 2), (None,), id="repeat-flat-unknown"),
        pytest.param((None, 3), lambda x: ops.pad(x, ((1, 2), (0, 1))), (None, 4), id="pad-unknown"),
        pytest.param((None, 4), lambda x: ops.split(x, 2, axis=1)[1], (None, 2), id="split-unknown"),
        pytest.param((None, 4), lambda x: ops.split(x, [1], axis=0)[0], (1, 4), id="split-unknown-axis"),
        pytest.param((None, 4), lambda x: ops.concatenate([x, x], axis=0), (None, 4), id="concatenate-unknown"),
        pytest.param((5, 2), lambda x: ops.stack([x, ops.KerasTensor((None, 2))], axis=1), (5, 2, 2),
                     id="stack-merge-unknown"),
        pytest.param((None, 3, 4), lambda x: ops.ndim(x), 3, id="ndim-symbolic"),
        pytest.param((2, 3, 4), lambda x: ops.size(x), 24, id="size-symbolic"),
    ],
)
def test_symbolic_shapes(x_shape, call, expected):
    result = call(ops.KerasTensor(x_shape))
    assert (result.shape if isinstance(result, ops.KerasTensor) else result) == expected


def test_ndim_and_size():
    assert ops.ndim(X) == 3 and ops.size(X) == 24
    assert ops.ndim(ops.convert_to_tensor(X)) == 3 and ops.size(ops.convert_to_tensor(X[0])) == 12


@pytest.mark.parametrize(
    "call,error,message",
    [
        pytest.param(lambda: ops.reshape(X, (5, 5)), ValueError, "Cannot reshape", id="reshape-bad-size"),
        pytest.param(lambda: ops.reshape(X, (-1, -1)), ValueError, "only one -1", id="reshape-two-unknowns"),
        pytest.param(lambda: ops.squeeze(X, axis=1), ValueError, "its size is not 1", id="squeeze-not-one"),
        pytest.param(lambda: ops.transpose(X, (0, 1)), ValueError, "permutation", id="transpose-bad-axes"),
        pytest.param(lambda: ops.split(X, 3, axis=2), ValueError, "divisible", id="split-uneven"),
        pytest.param(lambda: ops.concatenate([X, X[0]]), ValueError, "equal shapes", id="concatenate-mismatch"),
        pytest.param(lambda: ops.concatenate([]), ValueError, "non-empty list", id="concatenate-empty"),
        pytest.param(lambda: ops.pad(X, 1, mode="mean"), ValueError, "Unknown padding mode", id="pad-bad-mode"),
        pytest.param(lambda: ops.pad(X, ((1, 2, 3),)), ValueError, "pad_width", id="pad-bad-width"),
        pytest.param(lambda: ops.expand_dims(X, 5), ValueError, "Axis out of range", id="expand_dims-bad-axis"),
        pytest.param(lambda: ops.broadcast_to(X, (3, 4)), ValueError, "Cannot broadcast", id="broadcast_to-bad"),
        pytest.param(lambda: ops.moveaxis(X, (0, 1), 2), ValueError, "same number of axes", id="moveaxis-mismatch"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


GRAD_CASES = ["reshape-infer", "transpose-axes", "moveaxis-tuple", "expand_dims-tuple", "flip-tuple", "roll-tuple",
              "rot90-3", "broadcast_to", "tile-short", "repeat-counts", "pad-pairs", "pad-reflect", "pad-wrap",
              "concatenate-axis-1", "stack-axis-1", "hstack", "dstack", "split-indices", "array_split", "squeeze-all"]


@support.needs_gradients
@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c}-grad") for c in GRAD_CASES])
def test_gradients(case):
    fn, reference = CASES[case]

    def joined(x):
        out = fn(x)
        return ops.concatenate([ops.ravel(o) for o in out]) if isinstance(out, (list, tuple)) else out

    def joined_reference(x):
        out = reference(x)
        return np.concatenate([np.ravel(o) for o in out]) if isinstance(out, list) else out

    check_gradients(joined, joined_reference, X)
