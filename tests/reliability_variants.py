"""The training runs whose resume issue 18 checks, shared by the in-process interruptions
(test_reliability_resume.py) and the real `kill -9` of a forked process (reliability_fit_kill_worker.py): data, model,
the fit variants, the interruption positions and the state a resumed run must reproduce."""

import numpy as np

import kerasx

NUM_POSITIONS = 8
EPOCHS = 3
# (name, fit arguments, BackupAndRestore save_freq); batch_size 8 on 40 samples: 5 batches a pass.
VARIANTS = [
    ("epoch", dict(shuffle=False), "epoch"),
    ("epoch-shuffle", dict(shuffle=True), "epoch"),
    ("batches-shuffle", dict(shuffle=True), 2),
    ("batches-shuffle-per-batch", dict(shuffle="batch"), 1),
    ("steps-per-epoch", dict(shuffle=True, steps_per_epoch=4), 2),  # epochs of 4, 1 (the data ends) and 4 steps
    ("validation", dict(shuffle=True, validation_split=0.2), 3),
]


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 4)).astype("float32"), rng.normal(size=(40, 1)).astype("float32")


def model(run_eagerly: bool = False):
    kerasx.utils.set_random_seed(7)
    built = kerasx.Sequential([
        kerasx.Input((4,)),
        kerasx.layers.Dense(8, activation="relu"),
        kerasx.layers.Dropout(0.3),
        kerasx.layers.Dense(1),
    ])
    schedule = kerasx.optimizers.schedules.ExponentialDecay(0.02, decay_steps=3, decay_rate=0.8)
    built.compile(optimizer=kerasx.optimizers.Adam(schedule), loss="mse", metrics=["mae"], run_eagerly=run_eagerly)
    built.optimizer.build(built.trainable_variables)
    return built


def fit(built, fit_kwargs, extra_callbacks, backup):
    x, y = data()
    return built.fit(x, y, batch_size=8, epochs=EPOCHS, verbose=0, callbacks=[backup, *extra_callbacks], **fit_kwargs)


def positions(name: str, total: int) -> list:
    """NUM_POSITIONS distinct optimizer steps in 1..total-1 at which a run of variant `name` is interrupted."""
    chosen = np.random.default_rng(len(name)).choice(np.arange(1, total), NUM_POSITIONS, replace=False)
    return sorted(int(p) for p in chosen)


def state(built) -> list:
    """Everything a resumed run must reproduce, as NumPy arrays (seed states and metric totals included)."""
    variables = list(built.variables) + list(built.optimizer.variables) + list(built.metrics_variables)
    variables.append(kerasx.random.global_seed_generator().state)
    # Copies: torch's numpy() shares the memory.
    return [np.array(kerasx.ops.convert_to_numpy(v)) for v in variables]
