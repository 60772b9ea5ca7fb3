"""Hand-written PyTorch loops: `nn.Module`s in torch's own layouts (NCHW images, `nn.LSTM`,
`nn.TransformerEncoderLayer`), `torch.optim.Adam` (fused CPU kernel where torch has one), eager or `torch.compile`d."""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import _workloads as W


class _Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)


class _Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(5 * 5 * 64, 128), nn.ReLU(), nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.net(x)


class _Lstm(nn.Module):
    def __init__(self, embed=W.EMBED, units=W.LSTM_UNITS):
        super().__init__()
        self.embedding = nn.Embedding(W.VOCAB, embed)
        self.lstm = nn.LSTM(embed, units, batch_first=True)
        self.out = nn.Linear(units, 1)

    def encode(self, tokens):
        _, (h, _) = self.lstm(self.embedding(tokens))
        return h[-1]

    def forward(self, tokens):
        return self.out(self.encode(tokens))


class _Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(W.TF_VOCAB, W.TF_DIM)
        self.position = nn.Parameter(torch.empty(W.TF_SEQ, W.TF_DIM).uniform_(-0.05, 0.05))
        self.block = nn.TransformerEncoderLayer(W.TF_DIM, W.TF_HEADS, W.TF_FF, dropout=0.0, batch_first=True)
        self.out = nn.Linear(W.TF_DIM, W.TF_CLASSES)

    def forward(self, tokens):
        return self.out(self.block(self.embedding(tokens) + self.position).mean(1))


class _Autoencoder(nn.Module):
    """NCHW; padding 1 (with output_padding 1 on the transposed convolutions) is Keras's "same" at stride 2."""

    def __init__(self):
        super().__init__()
        small, large = W.AE_FILTERS
        self.net = nn.Sequential(
            nn.Conv2d(1, small, 3, 2, 1), nn.ReLU(), nn.Conv2d(small, large, 3, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(large, large, 3, 2, 1, 1), nn.ReLU(), nn.ConvTranspose2d(large, small, 3, 2, 1, 1),
            nn.ReLU(), nn.Conv2d(small, 1, 3, 1, 1), nn.Sigmoid(),
        )

    def forward(self, x):
        return self.net(x)


class _TwoIO(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = _Lstm(W.IO_EMBED, W.IO_LSTM)
        self.aux_output = nn.Linear(W.IO_LSTM, 1)
        self.dense = nn.Sequential(
            nn.Linear(W.IO_LSTM + W.IO_AUX, W.IO_DENSE), nn.ReLU(), nn.Linear(W.IO_DENSE, W.IO_DENSE), nn.ReLU(),
            nn.Linear(W.IO_DENSE, W.IO_DENSE), nn.ReLU(), nn.Linear(W.IO_DENSE, 1),
        )

    def forward(self, tokens, aux):
        h = self.encoder.encode(tokens)
        return self.dense(torch.cat([h, aux], -1)), self.aux_output(h)


MODULES = {"mlp": _Mlp, "cnn": _Cnn, "lstm": _Lstm, "transformer": _Transformer, "mha": _Transformer,
           "autoencoder": _Autoencoder, "two_io": _TwoIO}
# Workloads whose images the module reads in torch's NCHW layout.
_IMAGES = ("cnn", "autoencoder")


def _loss(name, model, x, y):
    if name == "two_io":
        main, aux = model(*x)
        return (F.binary_cross_entropy_with_logits(main, y[0])
                + W.AUX_LOSS_WEIGHT * F.binary_cross_entropy_with_logits(aux, y[1]))
    logits = model(x)
    if name == "lstm":
        return F.binary_cross_entropy_with_logits(logits, y)
    if name == "autoencoder":
        return F.mse_loss(logits, y)
    return F.cross_entropy(logits, y)


def _to_torch(name, data, labels=False):
    if isinstance(data, list):
        return [_to_torch(name, d, labels) for d in data]
    tensor = torch.from_numpy(np.ascontiguousarray(data))
    if labels and name in ("mlp", "cnn", "transformer", "mha"):
        return tensor.long()  # F.cross_entropy wants int64 class indices
    if tensor.dtype == torch.int32:
        return tensor.long()  # embedding lookups index with int64 in torch
    return tensor


def _adam(params):
    try:
        return torch.optim.Adam(params, lr=W.LEARNING_RATE, eps=W.EPSILON, fused=True)
    except (RuntimeError, TypeError):  # a torch without the fused CPU kernel
        return torch.optim.Adam(params, lr=W.LEARNING_RATE, eps=W.EPSILON, foreach=True)


class TorchContender:
    """Eager `nn.Module` training (`compiled=True`: the loss computation under `torch.compile`)."""

    def __init__(self, workload: W.Workload, x, y, compiled: bool = False):
        torch.manual_seed(W.SEED)
        name = self.name = workload.name
        self.model = MODULES[name]()
        self.optimizer = _adam(self.model.parameters())
        if name in _IMAGES:
            x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))  # the dataset kept in torch's native NCHW layout
            y = x if name == "autoencoder" else y
        # NumPy batches, as every contender gets them, turned into tensors in the loop (`from_numpy`: no copy).
        self.batches = W.split_batches(x, y, workload.batch_size)
        loss = lambda x, y: _loss(name, self.model, x, y)  # noqa: E731
        self._loss = torch.compile(loss) if compiled else loss
        inference = self.model.forward
        self._forward = torch.compile(inference) if compiled else inference

    def _run(self, steps):
        self.model.train()
        loss = None
        for x, y in self.batches[:steps]:
            x, y = _to_torch(self.name, x), _to_torch(self.name, y, labels=True)
            self.optimizer.zero_grad(set_to_none=True)
            loss = self._loss(x, y)
            loss.backward()
            self.optimizer.step()
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
        self.model.eval()
        if self.name in _IMAGES:
            x = x.transpose(0, 3, 1, 2)
        with torch.inference_mode():
            x = _to_torch(self.name, x)
            outputs = self._forward(*x) if isinstance(x, list) else self._forward(x)
        if isinstance(outputs, tuple):
            return [o.numpy() for o in outputs]
        return outputs.numpy()

    call = predict
