"""PyTorch backend: autograd on the variables' Parameters; eager steps, `torch.compile` on request."""

from __future__ import annotations

import torch

from kerasx.backend import _distribution_state, _stateless
from kerasx.backend.torch import distribution as torch_distribution


def compute_gradients(loss_fn, variables):
    variables = list(variables)
    if _stateless.current() is not None:
        return _functional_gradients(loss_fn, variables)
    with torch.enable_grad():
        loss, aux = loss_fn()
    params = [v.value for v in variables]
    grads = torch.autograd.grad(loss, params, allow_unused=True)
    grads = [torch.zeros_like(p) if g is None else g for p, g in zip(params, grads)]
    return loss.detach(), aux, _synchronized(grads)


def _synchronized(grads):
    # Under a distribution each rank saw its slice of the global batch: the mean gradient is the global one.
    if _distribution_state.current() is None:
        return grads
    return torch_distribution.all_reduce_mean(grads)


def _functional_gradients(loss_fn, variables):
    """Inside a stateless scope the values are plain tensors: differentiate with respect to fresh leaves."""
    leaves = [v.value.detach().requires_grad_(True) for v in variables]
    with _stateless.StatelessScope(zip(variables, leaves)) as scope, torch.enable_grad():
        loss, aux = loss_fn()
    grads = torch.autograd.grad(loss, leaves, allow_unused=True)
    replaced = {id(v) for v in variables}
    for variable, value in scope.assignments():
        if id(variable) not in replaced:
            variable.assign(value)
    return loss.detach(), aux, _synchronized([torch.zeros_like(p) if g is None else g for p, g in zip(leaves, grads)])


def make_step(fn, state_variables, jit_compile=True, training=True, eager=False):
    # Eager torch needs no state plumbing: variables are Parameters updated in place.
    if not training:
        fn = torch.no_grad()(fn)
    if jit_compile and not eager:
        fn = torch.compile(fn)
    distribution = _distribution_state.current()
    if distribution is None or eager:
        return fn
    distribution.distribute_variables(state_variables)  # every rank starts from rank 0's values
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


def fused_adam_update(variables, gradients, momentums, velocities, alpha, beta_1, beta_2, epsilon):
    if _stateless.current() is not None or torch.compiler.is_compiling():
        return False
    params = [v.value for v in variables]
    dtype = params[0].dtype if params else None
    if dtype not in _FUSABLE or any(p.dtype != dtype or g.dtype != dtype for p, g in zip(params, gradients)):
        return False
    ms, vs = [m.value for m in momentums], [v.value for v in velocities]
    with torch.no_grad():
        delta = torch._foreach_sub(gradients, ms)
        torch._foreach_mul_(delta, 1 - beta_1)
        torch._foreach_add_(ms, delta)
        delta = torch._foreach_mul(gradients, gradients)
        torch._foreach_sub_(delta, vs)
        torch._foreach_mul_(delta, 1 - beta_2)
        torch._foreach_add_(vs, delta)
        denominators = torch._foreach_sqrt(vs)
        torch._foreach_add_(denominators, epsilon)
        steps = torch._foreach_mul(ms, alpha)
        torch._foreach_div_(steps, denominators)
        torch._foreach_sub_(params, steps)
    return True
