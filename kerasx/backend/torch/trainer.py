"""PyTorch backend: autograd on the variables' Parameters; eager steps, `torch.compile` on request."""

# torch's fused Adam and `_foreach_*` kernels are private names (outside torch's `__all__`), the ones torch's own
# optimizers call.
# pyright: reportPrivateImportUsage=false
from __future__ import annotations

import math

import torch

from kerasx.backend import _distribution_state, _stateless
from kerasx.backend.torch import core as torch_core
from kerasx.backend.torch import distribution as torch_distribution


def compute_gradients(loss_fn, variables):
    variables = list(variables)
    if _stateless.current() is not None:
        return _functional_gradients(loss_fn, variables)
    with torch.enable_grad():
        loss, aux = loss_fn()
    params = [v.value for v in variables]
    if not params:  # nothing trainable (a model of state-only layers): torch's grad refuses an empty input list
        return loss.detach(), aux, []
    grads = torch.autograd.grad(loss, params, allow_unused=True)
    grads = [torch.zeros_like(p) if g is None else g for p, g in zip(params, grads)]
    return loss.detach(), aux, _synchronized(grads, params)


def _synchronized(grads, params):
    # Under a distribution each rank saw its slice of the global batch: the mean gradient is the global one.
    if _distribution_state.current() is None and not torch_distribution.sharded(params):
        return grads
    return torch_distribution.synchronize_gradients(grads, params)


def _functional_gradients(loss_fn, variables):
    """Inside a stateless scope the values are plain tensors: differentiate with respect to fresh leaves."""
    leaves = [v.value.detach().requires_grad_(True) for v in variables]
    with _stateless.StatelessScope(zip(variables, leaves)) as scope, torch.enable_grad():
        loss, aux = loss_fn()
    grads = torch.autograd.grad(loss, leaves, allow_unused=True) if leaves else ()
    replaced = {id(v) for v in variables}
    for variable, value in scope.assignments():
        if id(variable) not in replaced:
            variable.assign(value)
    grads = [torch.zeros_like(p) if g is None else g for p, g in zip(leaves, grads)]
    return loss.detach(), aux, _synchronized(grads, leaves)


def make_step(fn, state_variables, jit_compile=True, training=True, eager=False):
    # Eager torch needs no state plumbing: variables are Parameters updated in place.
    if not training:
        fn = torch.no_grad()(fn)
    if jit_compile and not eager:
        fn = torch.compile(fn)
    distribution = _distribution_state.current()
    if distribution is not None and not eager:
        distribution.distribute_variables(state_variables)  # every rank starts from rank 0's values
    sharded = None if eager else torch_distribution.sharded_step(fn, state_variables, distribution)
    if sharded is not None:
        return sharded  # model parallel: DTensor state (also after the distribution's scope)
    if distribution is None or eager:
        return fn
    if not training:
        return fn  # every rank evaluates / predicts the whole batch: the same results everywhere
    # One extra all-reduce per step over the non-trainable state: metrics then report the global batch.
    local = [v for v in state_variables if not v.trainable and v.value.is_floating_point()]

    def step(data):
        before = [v.value.detach().clone() for v in local]
        outputs = fn(distribution.distribute_data(data))
        torch_distribution.average_updates(local, before)
        return outputs

    return step


_FUSABLE = (torch.float32, torch.float64)


def fused_adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon):
    if _stateless.current() is not None or torch.compiler.is_compiling():
        return False
    params = [v.value for v in variables]
    dtype = params[0].dtype if params else None
    if dtype not in _FUSABLE or any(p.dtype != dtype or g.dtype != dtype for p, g in zip(params, gradients)):
        return False
    ms, vs = [m.value for m in momentums], [v.value for v in velocities]
    grads = list(gradients)
    with torch.no_grad():
        one_pass = _one_pass_gradients(params, grads, ms, vs)
        if one_pass is not None:
            _adam_cpu_kernel(params, one_pass, ms, vs, learning_rate, iterations, beta_1, beta_2, epsilon)
        else:
            _adam_foreach(params, grads, ms, vs, learning_rate, iterations, beta_1, beta_2, epsilon)
    return True


def _one_pass_gradients(params, grads, ms, vs):
    """The gradients laid out for torch's one-pass CPU kernel, or None where it cannot run.

    That kernel walks each tensor's memory in order and ignores strides: torch.optim hands it `.grad`, which autograd
    lays out like its parameter, but `autograd.grad` returns whatever layout the backward produced (a convolution
    kernel's gradient comes back permuted, an LSTM kernel's transposed). So every parameter and slot must be
    contiguous and the gradients are made so (a copy only for those that are not); otherwise the `_foreach` ops,
    which follow strides, run instead.
    """
    # Runs every step, so in the cheapest forms: `is_cpu` (`device.type` builds a device object) and maps of the
    # unbound methods, ~1.2 us per parameter in all against ~2.2 us written with generator expressions.
    is_contiguous = torch.Tensor.is_contiguous
    if not (all(p.is_cpu for p in params) and all(map(is_contiguous, params))):
        return None
    if not (all(map(is_contiguous, ms)) and all(map(is_contiguous, vs))):
        return None
    return list(map(torch.Tensor.contiguous, grads))


def _one_minus_power(beta, step):
    # 1 - beta ** t as -expm1(t log beta): the direct form loses digits for beta close to 1.
    return 1.0 if beta == 0 else -math.expm1(step * math.log(beta))


def _adam_cpu_kernel(params, grads, ms, vs, learning_rate, iterations, beta_1, beta_2, epsilon):
    # torch's one-pass Adam kernel. Its denominator is sqrt(v) / sqrt(c2) + eps', so eps' = eps / sqrt(c2) gives
    # the Keras form m * lr * sqrt(c2) / c1 / (sqrt(v) + eps). Reading the step and rate on the host is free on CPU.
    step = float(iterations.value.item()) + 1.0
    correction_2 = _one_minus_power(beta_2, step)
    steps = [torch.tensor(step, dtype=torch.float32)] * len(params)
    torch._fused_adam_(
        params, grads, ms, vs, [], steps, lr=float(learning_rate), beta1=beta_1, beta2=beta_2, weight_decay=0.0,
        eps=epsilon / math.sqrt(correction_2), amsgrad=False, maximize=False,
    )


def _adam_foreach(params, grads, ms, vs, learning_rate, iterations, beta_1, beta_2, epsilon):
    # On accelerators the step count stays on the device (no host sync): the corrections are computed there.
    step = iterations.value.to(params[0].dtype) + 1
    correction_1 = -torch.expm1(step * math.log(beta_1)) if beta_1 else torch.ones_like(step)
    correction_2 = -torch.expm1(step * math.log(beta_2)) if beta_2 else torch.ones_like(step)
    alpha = learning_rate * torch.sqrt(correction_2) / correction_1
    torch._foreach_lerp_(ms, grads, 1 - beta_1)
    torch._foreach_mul_(vs, beta_2)
    torch._foreach_addcmul_(vs, grads, grads, 1 - beta_2)
    denominators = torch._foreach_sqrt(vs)
    torch._foreach_add_(denominators, epsilon)
    updates = torch._foreach_div(ms, denominators)
    torch._foreach_mul_(updates, alpha)
    torch._foreach_sub_(params, updates)


def step_input(array, dtype):
    return torch_core.convert_to_tensor(array, dtype)


def auto_jit_compile(convolutional=False):
    # Eager steps by default: torch.compile's first call costs seconds to minutes and eager torch is fast.
    return False


def iterations_dtype():
    return "int32"


def native_dataset(dataset):
    return dataset
