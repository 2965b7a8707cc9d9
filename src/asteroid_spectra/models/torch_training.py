"""The one mini-batch training loop of the package's PyTorch models.

:func:`train_module` trains any :class:`torch.nn.Module` with AdamW on mini-batches,
tracks a validation loss, stops early after ``patience`` epochs without improvement and
restores the best weights. Classifiers (cross-entropy) and autoencoders (reconstruction
error) differ only in the loss and in what the targets are. After training, a classifier
calibrates its probabilities on the same validation split with :func:`fit_temperature`.

References
----------
Guo, C. et al. (2017). On calibration of modern neural networks. ICML (temperature
scaling).
"""

from __future__ import annotations

import contextlib
import copy
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["TrainingResult", "fit_temperature", "torch_session", "train_module"]

Augment = Callable[[npt.NDArray[np.intp], np.random.Generator], npt.NDArray[np.float32]]
"""``augment(rows, rng) -> inputs`` returns the (augmented, scaled) inputs of a batch."""


@contextlib.contextmanager
def torch_session(seed: int, threads: int = 1) -> Iterator[None]:
    """Seed torch and limit its threads for one training run, restoring both afterwards.

    The global random state is forked (:func:`torch.random.fork_rng`), so training is
    reproducible without touching the caller's random numbers. Training runs on one
    thread by default: for networks this small, intra-op parallelism costs more than it
    gives, and on a busy machine spinning OpenMP threads made training 30 times slower.
    """
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            yield
    finally:
        torch.set_num_threads(previous)


@dataclass
class TrainingResult:
    """What a training run did.

    Attributes
    ----------
    history : list of dict
        Per epoch: ``epoch``, ``train_loss``, ``valid_loss`` (NaN without validation).
    best_epoch : int
        Epoch whose weights were kept (the last one without validation).
    """

    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0


def train_module(
    module: Any,
    loss_fn: Callable[[Any, Any], Any],
    batch_inputs: Augment,
    targets: npt.NDArray[Any],
    train: npt.NDArray[np.intp],
    valid_inputs: npt.NDArray[np.float32] | None,
    valid_targets: npt.NDArray[Any] | None,
    *,
    max_epochs: int,
    batch_size: int,
    lr: float,
    weight_decay: float,
    patience: int,
    rng: np.random.Generator,
    on_epoch: Callable[[int, float], None] | None = None,
    scheduler: str | None = None,
) -> TrainingResult:
    """Train `module` in place and leave it in eval mode with the best weights.

    Parameters
    ----------
    module : torch.nn.Module
        The network.
    loss_fn : callable
        ``loss_fn(outputs, targets) -> scalar tensor``.
    batch_inputs : callable
        ``batch_inputs(rows, rng)`` returns the network inputs of the training rows
        (augmentation and scaling happen there).
    targets : ndarray
        Targets of every row (class indices, or the inputs themselves for autoencoders).
    train : ndarray of int
        Training rows.
    valid_inputs, valid_targets : ndarray, optional
        Validation inputs (already scaled) and targets; None disables early stopping.
    max_epochs, batch_size, lr, weight_decay, patience : number
        Optimisation settings (AdamW).
    rng : numpy.random.Generator
        Shuffling and augmentation randomness.
    on_epoch : callable, optional
        ``on_epoch(epoch, loss)`` after each epoch with the validation loss (training loss
        without validation); may raise to stop.
    scheduler : {None, "onecycle"}
        Learning-rate schedule: constant, or :class:`torch.optim.lr_scheduler.OneCycleLR`
        peaking at `lr` over all epochs.

    Returns
    -------
    TrainingResult
    """
    import torch

    optimiser = torch.optim.AdamW(module.parameters(), lr=lr, weight_decay=weight_decay)
    steps = None
    if scheduler == "onecycle":
        per_epoch = -(-train.size // batch_size)
        steps = torch.optim.lr_scheduler.OneCycleLR(
            optimiser, max_lr=lr, total_steps=max_epochs * per_epoch
        )
    has_valid = valid_inputs is not None and valid_targets is not None and len(valid_inputs) > 0
    x_valid = torch.from_numpy(valid_inputs) if has_valid else None
    y_valid = torch.from_numpy(valid_targets) if has_valid else None
    result = TrainingResult()
    best_loss, best_state, waited = math.inf, None, 0
    for epoch in range(1, max_epochs + 1):
        module.train()
        order = train[rng.permutation(train.size)]
        total = 0.0
        for start in range(0, order.size, batch_size):
            rows = order[start : start + batch_size]
            optimiser.zero_grad()
            outputs = module(torch.from_numpy(batch_inputs(rows, rng)))
            loss = loss_fn(outputs, torch.from_numpy(targets[rows]))
            loss.backward()
            optimiser.step()
            if steps is not None:
                steps.step()
            total += loss.item() * rows.size
        valid_loss = math.nan
        if has_valid:
            module.eval()
            with torch.no_grad():
                valid_loss = float(loss_fn(module(x_valid), y_valid))
        train_loss = total / train.size
        result.history.append({"epoch": epoch, "train_loss": train_loss, "valid_loss": valid_loss})
        if on_epoch is not None:
            on_epoch(epoch, valid_loss if has_valid else train_loss)
        if has_valid:
            if valid_loss < best_loss - 1e-6:
                best_loss, result.best_epoch, waited = valid_loss, epoch, 0
                best_state = copy.deepcopy(module.state_dict())
            else:
                waited += 1
                if waited >= patience:
                    break
    if best_state is not None:
        module.load_state_dict(best_state)
    else:
        result.best_epoch = len(result.history)
    module.eval()
    return result


def fit_temperature(logits: npt.NDArray[np.float64], target: npt.NDArray[np.int64]) -> float:
    """Temperature minimising the negative log-likelihood of `target` (Guo et al. 2017).

    Parameters
    ----------
    logits : ndarray, shape (n, k)
        Validation logits of a trained classifier.
    target : ndarray of int, shape (n,)
        Their classes, ``0 … k-1``.

    Returns
    -------
    float
        The temperature ``T`` (searched in ``e**-5 … e**5``) for which ``softmax(logits / T)``
        fits `target` best.
    """
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    def nll(log_t: float) -> float:
        scores = log_softmax(logits / math.exp(log_t), axis=1)
        return float(-scores[np.arange(target.size), target].mean())

    result = minimize_scalar(nll, bounds=(-5.0, 5.0), method="bounded")
    return float(math.exp(result.x))
