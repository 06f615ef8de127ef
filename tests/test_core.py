"""paperlib core: seeding, the fit loop, metrics, plotting and the explorer."""

import math

import plotly.graph_objects as go
import pytest
import torch
from torch import nn

from paperlib import data, explorer, layers, metrics, plotting, runtime, train


# --- runtime -------------------------------------------------------------------------------
def test_same_seed_same_numbers():
    a = torch.randn(5, generator=runtime.seed_everything(3))
    b = torch.randn(5, generator=runtime.make_generator(3))
    assert torch.equal(a, b)
    assert not torch.equal(a, torch.randn(5, generator=runtime.make_generator(4)))


@pytest.mark.parametrize("bad", [1.5, "3", True])
def test_seed_must_be_int(bad):
    with pytest.raises(TypeError, match="seed"):
        runtime.seed_everything(bad)


def test_device_is_cpu_or_cuda():
    assert runtime.get_device().type in {"cpu", "cuda"}


# --- fit -----------------------------------------------------------------------------------
def _regression():
    g = runtime.make_generator(0)
    x = torch.randn(256, 3, generator=g)
    w = torch.tensor([[1.0], [-2.0], [0.5]])
    return x, x @ w + 0.3


def _mse_step(model, batch):
    x, y = batch
    return ((model(x) - y) ** 2).mean()


def test_fit_solves_linear_regression_against_closed_form():
    x, y = _regression()
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    hist = train.fit(model, _mse_step, (x, y), epochs=60, batch_size=32, lr=0.05, generator=runtime.make_generator(1), progress=False)
    # closed form least squares with a bias column
    design = torch.cat([x, torch.ones(len(x), 1)], 1)
    coef = torch.linalg.lstsq(design, y).solution
    assert torch.allclose(model.weight.detach().ravel(), coef[:3].ravel(), atol=1e-2)
    assert math.isclose(model.bias.item(), coef[3].item(), abs_tol=1e-2)
    assert hist.epoch_loss[-1] < 1e-3 < hist.epoch_loss[0]
    assert not model.training  # fit leaves the model in eval mode


def test_fit_is_deterministic():
    x, y = _regression()
    losses = []
    for _ in range(2):
        torch.manual_seed(0)
        model = nn.Linear(3, 1)
        losses.append(train.fit(model, _mse_step, (x, y), epochs=3, batch_size=50, generator=runtime.make_generator(2), progress=False).epoch_loss)
    assert losses[0] == losses[1]


def test_fit_epoch_loss_is_the_mean_over_examples():
    x, y = _regression()
    model = nn.Linear(3, 1)
    frozen = torch.optim.SGD(model.parameters(), lr=0.0)
    with torch.no_grad():
        expected = ((model(x) - y) ** 2).mean().item()
    hist = train.fit(model, _mse_step, (x, y), epochs=1, batch_size=100, optimizer=frozen, generator=runtime.make_generator(0), progress=False)
    assert math.isclose(hist.epoch_loss[0], expected, rel_tol=1e-5)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(data=()), TypeError, "data"),
        (dict(data=(torch.zeros(3, 1), torch.zeros(4, 1))), ValueError, "first dimension"),
        (dict(data=([1, 2],)), TypeError, r"data\[0\]"),
        (dict(epochs=0), ValueError, "epochs"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(generator=0), TypeError, "generator"),
    ],
)
def test_fit_rejects_bad_input(kwargs, error, match):
    x, y = _regression()
    args = dict(data=(x, y), epochs=1, batch_size=8,
                  generator=runtime.make_generator(0), progress=False)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        train.fit(nn.Linear(3, 1), _mse_step, args.pop("data"), **args)


def test_fit_rejects_non_scalar_loss():
    x, y = _regression()
    with pytest.raises(ValueError, match="scalar"):
        train.fit(nn.Linear(3, 1), lambda m, b: (m(b[0]) - b[1]) ** 2, (x, y), epochs=1, batch_size=8,
                  generator=runtime.make_generator(0), progress=False)


def test_classification_step_is_the_mean_cross_entropy():
    net = layers.mlp((8, 16, 5), generator=runtime.make_generator(0))
    x, y = torch.rand(6, 8, generator=runtime.make_generator(1)), torch.tensor([0, 1, 2, 3, 4, 0])
    logits = net(x)
    manual = -(logits.log_softmax(1)[torch.arange(6), y]).mean()
    torch.testing.assert_close(train.classification_step(net, (x, y)), manual)


def test_entropy_along_the_last_axis():
    p = torch.tensor([[[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]], dtype=torch.float64)  # (1, 2, 3)
    torch.testing.assert_close(metrics.entropy(p), torch.tensor([[math.log(2), 0.0]], dtype=torch.float64))


# --- metrics -------------------------------------------------------------------------------
def test_accuracy():
    logits = torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    assert metrics.accuracy(logits, torch.tensor([0, 1, 1])) == pytest.approx(2 / 3)


def _naive_ece(probs, labels, n_bins):
    conf, pred = probs.max(1)
    total = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        members = [i for i in range(len(conf)) if lo < conf[i] <= hi]
        if members:
            acc = sum(float(pred[i] == labels[i]) for i in members) / len(members)
            avg = sum(float(conf[i]) for i in members) / len(members)
            total += len(members) / len(conf) * abs(acc - avg)
    return total


def test_ece_matches_naive_loop():
    g = runtime.make_generator(0)
    probs = torch.softmax(3 * torch.randn(300, 4, generator=g, dtype=torch.float64), 1)
    labels = torch.randint(0, 4, (300,), generator=g)
    for n_bins in (1, 5, 15):
        assert metrics.expected_calibration_error(probs, labels, n_bins) == pytest.approx(_naive_ece(probs, labels, n_bins), abs=1e-12)


def test_ece_is_zero_when_perfectly_calibrated():
    probs = torch.tensor([[0.75, 0.25]] * 4, dtype=torch.float64)
    assert metrics.expected_calibration_error(probs, torch.tensor([0, 0, 0, 1])) == pytest.approx(0.0)


def test_reliability_bins_match_a_naive_loop():
    g = runtime.make_generator(1)
    probs = torch.softmax(2 * torch.randn(200, 3, generator=g, dtype=torch.float64), 1)
    labels = torch.randint(0, 3, (200,), generator=g)
    rel = metrics.reliability_bins(probs, labels, 10)
    conf, pred = probs.max(1)
    for b in range(10):
        members = [i for i in range(200) if b / 10 < conf[i] <= (b + 1) / 10]
        assert rel.count[b] == len(members)
        if members:
            assert rel.confidence[b] == pytest.approx(float(conf[members].mean()), abs=1e-12)
            assert rel.accuracy[b] == pytest.approx(float((pred[members] == labels[members]).double().mean()), abs=1e-12)
        else:
            assert rel.confidence[b].isnan() and rel.accuracy[b].isnan()
    assert int(rel.count.sum()) == 200


# --- mode coverage (hand-made sample sets) -----------------------------------------------------
CENTERS = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])


def test_mode_coverage_on_hand_made_samples():
    std = 1.0  # high quality: within 3 of a centre
    samples = torch.tensor([
        [0.5, 0.5], [2.9, 0.0], [3.1, 0.0],   # two for mode 0, one just outside 3 std
        [10.0, 2.0], [12.0, 2.0],             # mode 1 (distance 2 and sqrt(8) < 3)
        [5.0, 5.0], [-20.0, 0.0],             # far from every mode
    ])
    cov = metrics.mode_coverage(samples, CENTERS, std)
    assert cov.counts.tolist() == [2, 2, 0]
    assert cov.covered == 2
    assert cov.high_quality == pytest.approx(4 / 7)
    assert metrics.mode_coverage(samples, CENTERS, std, min_count=3).covered == 0
    assert metrics.mode_coverage(samples, CENTERS, 10.0).counts.tolist() == [5, 2, 0]  # all within 30; (5, 5) ties -> mode 0


def test_mode_coverage_of_a_collapsed_generator():
    collapsed = torch.zeros(100, 2) + 0.1
    cov = metrics.mode_coverage(collapsed, CENTERS, 0.5, min_count=20)
    assert (cov.covered, cov.high_quality) == (1, 1.0)


def test_mode_coverage_of_the_data_itself_is_complete():
    from paperlib import data

    for mix in (data.gaussian_ring(800, generator=runtime.make_generator(0)), data.gaussian_grid(2500, generator=runtime.make_generator(0))):
        cov = metrics.mode_coverage(mix.x, mix.centers, mix.std, min_count=20)
        assert cov.covered == len(mix.centers)
        assert cov.high_quality > 0.98  # a 2-D Gaussian puts 1 - exp(-4.5) = 98.9% within 3 std


@pytest.mark.parametrize(
    "probs, labels, match",
    [
        (torch.ones(4), torch.zeros(4, dtype=torch.long), r"\(N, C\)"),
        (torch.full((4, 2), 0.5), torch.zeros(3, dtype=torch.long), "labels"),
        (torch.full((4, 2), 0.5), torch.zeros(4), "integer"),
        (torch.full((4, 2), 0.7), torch.zeros(4, dtype=torch.long), "sum"),
    ],
)
def test_ece_rejects_bad_input(probs, labels, match):
    with pytest.raises((ValueError, TypeError), match=match):
        metrics.expected_calibration_error(probs, labels)


# --- data ----------------------------------------------------------------------------------
def test_digits_split():
    split = data.digits(0.25, generator=runtime.make_generator(0))
    assert split.x_train.shape[1] == 64 and len(split.x_train) + len(split.x_test) == 1797
    assert 0.0 <= split.x_train.min() and split.x_train.max() <= 1.0
    assert set(split.y_test.tolist()) == set(range(10))
    with pytest.raises(ValueError, match="test_fraction"):
        data.digits(1.5, generator=runtime.make_generator(0))


# --- layers ------------------------------------------------------------------------------
def test_mlp_shapes_seeding_and_bad_input():
    net = layers.mlp((64, 32, 16, 10), dropout=0.2, generator=runtime.make_generator(0))
    assert net(torch.rand(4, 64)).shape == (4, 10)
    assert sum(isinstance(m, nn.Linear) for m in net) == 3
    assert sum(isinstance(m, nn.Dropout) for m in net) == 2
    again = layers.mlp((64, 32, 16, 10), dropout=0.2, generator=runtime.make_generator(0))
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), again.parameters()))
    first = net[0].weight
    assert first.abs().max() <= 1 / 64**0.5  # PyTorch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    for kwargs, error, match in [
        (dict(sizes=(64,)), ValueError, "sizes"),
        (dict(sizes=(64, 0, 10)), ValueError, "sizes"),
        (dict(sizes=(64, 10), dropout=1.0), ValueError, "dropout"),
        (dict(sizes=(64, 10), generator=0), TypeError, "generator"),
    ]:
        args = dict(generator=runtime.make_generator(0)) | kwargs
        with pytest.raises(error, match=match):
            layers.mlp(args.pop("sizes"), **args)


# --- plotting ------------------------------------------------------------------------------
def test_korean_font_renders_without_missing_glyphs(tmp_path, caplog, recwarn):
    """Korean labels, a log axis (mathtext minus signs) and inline math: no missing glyph."""
    import matplotlib
    import matplotlib.pyplot as plt

    assert plotting.use_korean_font() is None
    family = matplotlib.rcParams["font.family"][0]
    fig, ax = plt.subplots()
    ax.loglog([1e-3, 1e-1, 10], [1e-2, 1, 1e2])
    ax.set_title("온도가 높을수록 부드러운 분포 $-\\log p_i$ −1")
    ax.set_xlabel("일치도 $a = y\\,f(x)$")
    fig.savefig(tmp_path / "k.png")
    plt.close(fig)
    assert family in plotting.KOREAN_FONTS
    problems = [r.getMessage() for r in caplog.records] + [str(w.message) for w in recwarn]
    assert not [m for m in problems if "glyph" in m or "findfont" in m], problems


def test_show_emits_offline_html_and_plotly_json(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    plotting.show(go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout=dict(title="제목")))
    bundle = shown[0]
    assert bundle["application/vnd.plotly.v1+json"]["data"][0]["y"] == [3, 4]
    assert "Plotly.newPlot" in bundle["text/html"] and "if (window.Plotly)" in bundle["text/html"]
    assert "frames: spec.frames" in bundle["text/html"]  # animations keep their frames in the static book
    with pytest.raises(TypeError, match="fig"):
        plotting.show({"data": []})


def test_clip_animation_has_one_frame_per_time_step_and_a_slider_that_animates():
    videos = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
    fig = plotting.clip_animation(videos, ["왼쪽", "오른쪽"], "두 클립")
    assert len(fig.frames) == 3 and len(fig.data) == 2
    assert list(fig.frames[2].data[1].z) == videos[1, 2].tolist()  # frame t shows every clip's frame t
    assert {fig.data[0].zmin, fig.data[0].zmax} == {0.0, 23.0}  # one colour range for all clips
    steps = fig.layout.sliders[0].steps
    assert [s.method for s in steps] == ["animate"] * 3 and list(steps[2].args[0]) == ["2"]


# --- explorer ------------------------------------------------------------------------------
def _panel(T, scale=1.0):
    x = torch.arange(5.0)
    return [go.Bar(x=x.tolist(), y=(scale * torch.softmax(x / T, 0)).tolist(), name=f"T={T}")]


def test_slider_figure_holds_exactly_the_panel_outputs():
    values = [0.5, 1.0, 4.0]
    fig = explorer.slider_figure(_panel, "T", values, fixed={"scale": 2.0}, active=1, title="온도")
    assert len(fig.data) == 3
    for trace, v in zip(fig.data, values):
        assert list(trace.y) == pytest.approx(_panel(v, 2.0)[0].y)
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["0.5", "1", "4"]
    assert [t.visible for t in fig.data] == [False, True, False]
    assert steps[2].args[0]["visible"] == [False, False, True]


def test_live_widget_draws_the_same_panel(monkeypatch):
    shown = []
    monkeypatch.setattr("paperlib.explorer.show", shown.append)
    box = explorer.live_widget(_panel, {"T": [0.5, 1.0, 4.0], "scale": [1.0, 2.0]}, title="온도")
    slider, scale = box.children[0].children
    slider.value = 4.0
    scale.value = 2.0
    assert list(shown[-1].data[0].y) == pytest.approx(_panel(4.0, 2.0)[0].y)
    assert "T = 4" in shown[-1].layout.title.text


def test_explorer_string_knob_uses_a_dropdown(monkeypatch):
    monkeypatch.setattr("paperlib.explorer.show", lambda fig: None)
    box = explorer.live_widget(lambda loss: [go.Scatter(x=[0], y=[len(loss)])], {"loss": ["Exp", "Sigmoid"]})
    assert type(box.children[0].children[0]).__name__ == "Dropdown"
    fig = explorer.slider_figure(lambda loss: [go.Scatter(x=[0], y=[len(loss)])], "loss", ["Exp", "Sigmoid"])
    assert [s.label for s in fig.layout.sliders[0].steps] == ["Exp", "Sigmoid"]


@pytest.mark.parametrize(
    "knob, values, panel, match",
    [
        ("", [1], _panel, "knob name"),
        ("T", [], _panel, "non-empty"),
        ("T", [1.0, 1.0], _panel, "distinct"),
        ("T", [1.0], lambda T: [], "plotly traces"),
        ("T", [1.0, 2.0], lambda T: [go.Bar(y=[1])] * int(T), "same number of traces"),
    ],
)
def test_explorer_rejects_bad_input(knob, values, panel, match):
    with pytest.raises((ValueError, TypeError), match=match):
        explorer.slider_figure(panel, knob, values)


# --- checks --------------------------------------------------------------------------------
def test_checks_name_the_argument_and_the_expectation():
    from paperlib import checks

    assert checks.real(0.5, "alpha", low=0, high=1) == 0.5
    for value, kwargs, error, text in [
        (True, {}, TypeError, "alpha must be a real number, got bool"),
        (float("nan"), {}, ValueError, "alpha must be a finite number"),
        (1.5, dict(low=0, high=1), ValueError, r"alpha must be in \[0, 1\], got 1.5"),
        (0.0, dict(low=0, low_open=True), ValueError, "alpha must be a finite number > 0"),
        (1.0, dict(high=1, high_open=True), ValueError, "alpha must be < 1"),
    ]:
        with pytest.raises(error, match=text):
            checks.real(value, "alpha", **kwargs)
    with pytest.raises(ValueError, match=r"K must be a positive int \(>= 1\), got 0"):
        checks.positive_int(0, "K")
    with pytest.raises(ValueError, match=r"x must have shape \(B, D\), got \(3,\)"):
        checks.tensor(torch.zeros(3), "x", dim=2, shape="(B, D)")
    with pytest.raises(TypeError, match="x must be a floating-point tensor"):
        checks.tensor(torch.zeros(3, dtype=torch.long), "x")
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\], got values in \[0, 3\]"):
        checks.labels(torch.tensor([0, 3]), 2, 3)
    assert checks.generator(None, optional=True) is None
    with pytest.raises(TypeError, match="generator must be a torch.Generator or None"):
        checks.generator(1, optional=True)
