import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """As in the chapters (runtime.seed_everything): tiny tensors run fastest on one thread."""
    torch.set_num_threads(1)
