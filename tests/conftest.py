import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """As in the chapters (runtime.seed_everything): tiny tensors run fastest on one thread."""
    torch.set_num_threads(1)


def pytest_collection_modifyitems(items):
    """pytest-xdist (--dist loadgroup): a notebook's nbval cells share one kernel, so they stay on one
    worker; the browser tests share one browser. Everything else spreads over the workers."""
    for item in items:
        path = item.path
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(name=f"nbval-{path.stem}"))
        elif path.name == "test_browser.py":
            item.add_marker(pytest.mark.xdist_group(name="browser"))
