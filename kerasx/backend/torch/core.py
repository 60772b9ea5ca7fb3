"""PyTorch backend: core."""

from __future__ import annotations

import builtins
import collections
import contextlib
import sys
import threading

import ml_dtypes
import numpy as np
import torch
import torch.utils.checkpoint

from kerasx.backend import _abstract_eval, _dtypes, _python_loops, _variable

NAME = "torch"

# Tensors are created on the GPU when one is present, as users of a high-level API expect.
DEFAULT_DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
UNKNOWN_DEVICE = (
    "torch has no device {name!r} here ({reason}). Received: device_name={name!r}. Expected 'cpu', 'gpu:<index>' "
    "(CUDA devices present: {count}) or another torch device type such as 'meta'."
)

# The device of the innermost `kerasx.device` scope of this thread, if any.
_SCOPE = threading.local()

_NATIVE = {
    "bool": torch.bool,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_NAMES = {native: name for name, native in _NATIVE.items()}


_DTENSOR_MODULE = "kerasx.backend.torch._dtensor"


def _dtensor():
    # Loaded by `distribution` when a variable is first sharded (model parallel); until then no DTensor exists.
    return sys.modules.get(_DTENSOR_MODULE)


def native_dtype(dtype):
    return _NATIVE[_dtypes.standardize_dtype(dtype)]


class Variable(_variable.Variable):
    backend_name = NAME

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype)

    def _store(self, value):
        # A Parameter, so that a layer's variables show up in torch's `module.parameters()`.
        scoped = getattr(_SCOPE, "device", None)
        if scoped is not None:
            value = value.to(scoped)  # an initializer's values go where the `kerasx.device` scope says
        self._value = torch.nn.Parameter(
            value.detach().clone(), requires_grad=self.trainable and value.is_floating_point()
        )

    def _read(self):
        return self._value

    def _write(self, value):
        dtensor = _dtensor()
        if dtensor is not None and (dtensor.is_dtensor(self._value) or dtensor.is_dtensor(value)):
            self._value = dtensor.write(self._value, value)
            return
        with torch.no_grad():
            self._value.copy_(value)

    def _to_numpy(self, value):
        return convert_to_numpy(value)

    # torch functions take a Variable where they take a tensor (`torch.sum(v)`, `torch.stack([v, w])`): torch hands
    # the call here, and it runs on the stored values.
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = dict(zip(kwargs, _values(kwargs.values()))) if kwargs else {}
        return func(*_values(args), **kwargs)


def _values(arguments) -> list:
    """The arguments with Variables, also inside list/tuple arguments, replaced by their values."""
    result = []
    for argument in arguments:
        if isinstance(argument, _variable.Variable):
            argument = argument.value
        elif isinstance(argument, (list, tuple)) and any(isinstance(a, _variable.Variable) for a in argument):
            argument = [a.value if isinstance(a, _variable.Variable) else a for a in argument]
        result.append(argument)
    return result


def apply_floatx(name) -> None:
    """Nothing to do: every float dtype is available without a setting."""


def is_tensor(x) -> bool:
    return isinstance(x, torch.Tensor)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if isinstance(x, torch.Tensor):
        # The hot path (every op of an eager step): a tensor that needs no cast, without the dtype table.
        if dtype is None:
            return x
        native = _NATIVE.get(dtype) if isinstance(dtype, str) else None
        if native is None:
            native = native_dtype(dtype)
        return x if x.dtype == native else x.to(native)
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
    native = native_dtype(dtype)
    if isinstance(x, torch.Tensor):
        return x if x.dtype == native else x.to(native)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype.name == "bfloat16":
        return torch.from_numpy(x.astype(np.float32)).to(device=current_device(), dtype=native)
    # ascontiguousarray would turn a 0-d array into shape (1,).
    x = np.ascontiguousarray(x) if x.ndim else x
    if not x.flags.writeable:
        # torch would share the read-only buffer (e.g. `np.asarray(jax_array)`, a memory-mapped file) and warn that
        # writing to the tensor is undefined; one copy of the batch keeps the caller's data out of torch's reach.
        x = x.copy()
    return torch.as_tensor(x, device=current_device()).to(native)


def convert_to_numpy(x):
    x = convert_to_tensor(x).detach()
    dtensor = _dtensor()
    if dtensor is not None:
        x = dtensor.gather(x)  # a sharded value, whole (every rank must call this)
    if x.dtype == torch.bfloat16:
        return x.float().cpu().numpy().astype(ml_dtypes.bfloat16)
    return x.cpu().numpy()


def cast(x, dtype):
    return convert_to_tensor(x).to(native_dtype(dtype))


def dtype_name(x) -> str:
    return _NAMES[x.dtype]


def shape(x) -> tuple:
    return tuple(x.shape)


def is_traced(x) -> bool:
    return torch.compiler.is_compiling()


def current_device() -> torch.device:
    """Where new tensors go: the innermost `kerasx.device` scope's device, else DEFAULT_DEVICE."""
    return getattr(_SCOPE, "device", None) or DEFAULT_DEVICE


def device(kind, index):
    name = kind if index is None else f"{kind}:{index}"
    try:
        target = torch.device(name.replace("gpu", "cuda"))
    except RuntimeError as error:
        raise ValueError(UNKNOWN_DEVICE.format(name=name, reason=error, count=torch.cuda.device_count())) from error
    if target.type == "cuda" and (target.index or 0) >= torch.cuda.device_count():
        reason = "CUDA is not available" if not torch.cuda.is_available() else "no such CUDA index"
        raise ValueError(UNKNOWN_DEVICE.format(name=name, reason=reason, count=torch.cuda.device_count()))
    return _placed(target)


@contextlib.contextmanager
def _placed(target):
    previous = getattr(_SCOPE, "device", None)
    _SCOPE.device = target
    try:
        # torch's own default-device scope covers the factories (torch.zeros, ...) called without a device.
        with target:
            yield
    finally:
        _SCOPE.device = previous


def output_specs(fn, input_specs):
    def placeholders(specs, device):
        return [torch.ones(shape, dtype=native_dtype(dtype), device=device) for shape, dtype in specs]

    def evaluate(specs):
        with torch.no_grad():
            try:
                # Meta tensors compute shapes without data, but an op mixing them with real ones refuses them.
                outputs = fn(*placeholders(specs, "meta"))
            except Exception:  # noqa: BLE001 - any refusal: run on small real tensors instead
                outputs = fn(*placeholders(specs, DEFAULT_DEVICE))
        return [(tuple(out.shape), dtype_name(out)) if is_tensor(out) else None for out in outputs]

    return _abstract_eval.with_unknown_dims(evaluate, input_specs)


STATE_DICT_MISMATCH = (
    "Error loading a state dict into '{name}': missing keys {missing}, unexpected keys {unexpected}. Keys are "
    "'_torch_params.<variable path>', as `state_dict()` writes them; pass `strict=False` to load the matching ones."
)


class LayerModule(torch.nn.Module):
    """The torch side of every kerasx layer: a `torch.nn.Module` whose parameters are the layer's trainable
    Variables (kerasx's `Layer.parameters` supplies them, so `zero_grad`, `requires_grad_` and torch optimizers see
    them) and whose state dict holds every variable under Keras's names. Attributes stay plain (kerasx sets them
    with `object.__setattr__`): sublayers are not `_modules`."""

    def forward(self, *args, **kwargs):
        return self(*args, **kwargs)

    def _state_items(self, prefix=""):
        # Keras's torch layers keep every variable in a ParameterDict named `_torch_params`, keyed by path (sorted).
        return [(f"{prefix}_torch_params.{v.path}", v) for v in sorted(self.variables, key=lambda v: v.path)]  # pyright: ignore[reportArgumentType,reportAttributeAccessIssue,reportCallIssue]

    def state_dict(self, *, destination=None, prefix="", keep_vars=False):
        """Every variable's value under Keras's names ("_torch_params.<path>"), so state dicts move between Keras
        3 and kerasx models of the same architecture."""
        destination = collections.OrderedDict() if destination is None else destination
        for key, variable in self._state_items(prefix):
            destination[key] = variable.value if keep_vars else variable.value.detach()
        return destination

    def load_state_dict(self, state_dict, strict=True, assign=False):
        items = self._state_items()
        expected = {key for key, _ in items}
        missing = [key for key, _ in items if key not in state_dict]
        unexpected = [key for key in state_dict if key not in expected]
        if strict and (missing or unexpected):
            raise RuntimeError(
                STATE_DICT_MISMATCH.format(name=self.name, missing=missing, unexpected=unexpected)
            )
        for key, variable in items:
            if key in state_dict:
                variable.assign(state_dict[key])
        return torch.nn.modules.module._IncompatibleKeys(missing, unexpected)

    def __getattr__(self, name):
        # Python calls this also when a property raised AttributeError (e.g. `layer.output` of a layer with several
        # nodes): run the property again so that its own message reaches the user, not torch's generic one.
        attribute = getattr(type(self), name, None)
        if isinstance(attribute, property):
            return attribute.fget(self)  # pyright: ignore[reportOptionalCall]
        return super().__getattr__(name)


def layer_bases():
    return (LayerModule,)


def value_and_grad(fn, has_aux=False):
    def wrapped(params, *args):
        leaves = [p.detach().requires_grad_(True) for p in params]
        with torch.enable_grad():
            output = fn(leaves, *args)
            value = output[0] if has_aux else output
            grads = torch.autograd.grad(value, leaves, allow_unused=True)
        grads = [torch.zeros_like(p) if g is None else g for p, g in zip(leaves, grads)]
        return output, grads

    return wrapped


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    return _python_loops.while_loop(cond, body, loop_vars, maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    return _python_loops.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return _python_loops.scan(f, init, xs, length, reverse, torch.stack, _zeros_like_shape, torch.unbind)


def _zeros_like_shape(shape, like):
    return torch.zeros(tuple(shape), dtype=like.dtype, device=like.device)


def stop_gradient(variable):
    return variable.detach()


class _CustomGradient(torch.autograd.Function):
    """Runs `f(*args) -> (output, grad_fn)` forward and `grad_fn(*upstreams)` backward."""

    @staticmethod
    def forward(ctx, f, *args):
        output, grad_fn = f(*args)
        ctx.grad_fn = grad_fn
        return output

    @staticmethod
    def backward(ctx, *upstreams):
        grads = ctx.grad_fn(*upstreams)
        grads = tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)
        return (None,) + grads


def custom_gradient(f):
    def call(*args):
        return _CustomGradient.apply(f, *args)

    return call


def vectorized_map(function, elements):
    return torch.vmap(function)(elements)


def slice(inputs, start_indices, shape):
    for axis, (start, length) in enumerate(zip(start_indices, shape)):
        inputs = inputs.narrow(axis, start, length)
    return inputs


def slice_update(inputs, start_indices, updates):
    index = tuple(builtins.slice(int(s), int(s) + n) for s, n in zip(start_indices, updates.shape))
    result = inputs.clone()
    result[index] = updates
    return result


def _index_tuple(indices):
    indices = indices.to(torch.int64)
    return tuple(indices[..., k] for k in range(indices.shape[-1]))


def scatter(indices, values, shape):
    zeros = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    return zeros.index_put(_index_tuple(indices), values, accumulate=True)


_SCATTER_REDUCE = {"mul": "prod", "max": "amax", "min": "amin"}


def scatter_update(inputs, indices, updates, reduction=None):
    if reduction is None or reduction == "add":
        return inputs.index_put(_index_tuple(indices), updates, accumulate=reduction == "add")
    # Other reductions through scatter_reduce on the indexed leading axes flattened into one.
    depth = indices.shape[-1]
    lead, rest = tuple(inputs.shape[:depth]), tuple(inputs.shape[depth:])
    strides = torch.tensor([int(np.prod(lead[i + 1:])) for i in range(depth)], device=indices.device)
    flat_index = (indices.reshape(-1, depth).to(torch.int64) * strides).sum(-1)
    flat_updates = updates.reshape((-1,) + rest)
    index = flat_index.reshape((-1,) + (1,) * len(rest)).expand(flat_updates.shape)
    flat = inputs.reshape((-1,) + rest).scatter_reduce(0, index, flat_updates, reduce=_SCATTER_REDUCE[reduction])
    return flat.reshape(inputs.shape)


def remat(f):
    def rematerialized(*args, **kwargs):
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return rematerialized


def host_call(function, inputs, dtype, shape):
    result = function(convert_to_numpy(inputs) if isinstance(inputs, torch.Tensor) else np.asarray(inputs))
    if dtype == _dtypes.STRING:
        return np.asarray(result)  # torch has no string tensors: text stays a NumPy array
    return torch.as_tensor(np.asarray(result, dtype=_dtypes.numpy_dtype(dtype)), device=current_device())
