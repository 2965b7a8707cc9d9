"""The network architectures: shapes, sizes, modes and the name-based builder."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.nets import ARCHITECTURES, ConvNet, DenseNet, build


def n_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_architectures_by_name() -> None:
    assert {"dense": DenseNet, "conv": ConvNet} == ARCHITECTURES


@pytest.mark.parametrize(
    ("name", "n_inputs", "n_classes", "params"),
    [
        ("dense", 49, 4, {}),
        ("dense", 16, 2, {"hidden": (8,)}),
        ("dense", 49, 23, {"hidden": ()}),
        ("conv", 49, 4, {}),
        ("conv", 16, 3, {"channels": (4, 8), "kernel_size": 3, "hidden": 8}),
        ("conv", 50, 2, {"kernel_size": 7}),
    ],
)
def test_outputs_one_logit_per_class(
    name: str, n_inputs: int, n_classes: int, params: dict[str, object]
) -> None:
    module = build(name, n_inputs, n_classes, **params)
    assert isinstance(module, ARCHITECTURES[name])
    out = module.eval()(torch.zeros(5, n_inputs))
    assert out.shape == (5, n_classes)
    assert out.dtype == torch.float32


@pytest.mark.parametrize(
    ("hidden", "n_classes", "expected"),
    [
        # 49·25 + 25 + 25·10 + 10 + 10·4 + 4: the reference tutorial's 49-25-10-4 net.
        ((25, 10), 4, 1554),
        # No hidden layer: multinomial logistic regression, 49·4 + 4.
        ((), 4, 200),
        ((8,), 2, 49 * 8 + 8 + 8 * 2 + 2),
    ],
)
def test_dense_layer_sizes(hidden: tuple[int, ...], n_classes: int, expected: int) -> None:
    module = DenseNet(49, n_classes, hidden=hidden)
    assert n_parameters(module) == expected
    widths = [layer.out_features for layer in module.layers if isinstance(layer, nn.Linear)]
    assert widths == [*hidden, n_classes]


def test_conv_layer_sizes() -> None:
    # conv 1→16 (k=5): 96; conv 16→32: 2592; two poolings leave 49 // 4 = 12 samples:
    # dense 32·12→64: 24640; output 64→4: 260.
    module = ConvNet(49, 4)
    assert n_parameters(module) == 96 + 2592 + 24640 + 260
    assert module.head[1].in_features == 32 * 12


@pytest.mark.parametrize("kernel_size", [3, 5, 7, 9])
def test_conv_padding_keeps_the_length_for_odd_kernels(kernel_size: int) -> None:
    module = ConvNet(49, 3, channels=(2, 4), kernel_size=kernel_size)
    assert module.features(torch.zeros(1, 1, 49)).shape == (1, 4, 12)


@pytest.mark.parametrize(
    ("module", "dropout"), [(DenseNet(49, 3, dropout=0.5), 0.5), (ConvNet(49, 3), 0.2)]
)
def test_dropout_acts_in_training_mode_only(module: nn.Module, dropout: float) -> None:
    assert [m.p for m in module.modules() if isinstance(m, nn.Dropout)][-1] == dropout
    x = torch.linspace(0.5, 1.5, 49).repeat(4, 1)
    torch.manual_seed(0)
    module.train()
    assert not torch.equal(module(x), module(x))
    module.eval()
    torch.testing.assert_close(module(x), module(x), rtol=0, atol=0)


def test_rows_are_independent_in_eval_mode() -> None:
    torch.manual_seed(0)
    module = ConvNet(49, 4).eval()
    x = torch.rand(6, 49)
    torch.testing.assert_close(module(x)[2:3], module(x[2:3]), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        (
            "resnet",
            {},
            r"The 'module' parameter must be one of dense, conv\. Got 'resnet' instead\.",
        ),
        ("dense", {"width": 3}, r"Invalid module__ parameters for 'dense': .*'width'"),
        ("conv", {"layers": 2}, r"Invalid module__ parameters for 'conv': .*'layers'"),
        ("conv", {"kernel_size": 4}, r"'kernel_size' parameter of ConvNet must be odd.*Got 4"),
        (
            "dense",
            {"activation": "tanh"},
            r"^The 'activation' parameter of DenseNet must be 'relu' or 'gelu'\. "
            r"Got 'tanh' instead\.$",
        ),
    ],
)
def test_build_rejects_unknown_names_and_parameters(
    name: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ParameterError, match=message):
        build(name, 49, 4, **params)
