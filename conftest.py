import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """As in the chapters (runtime.seed_everything): tiny tensors run fastest on one thread."""
    torch.set_num_threads(1)


# nbval waits a hard-coded 5 s for each iopub message once a cell has replied. On a loaded CI
# machine a chapter's long training cell once missed that wait ("Timeout of 5 seconds exceeded
# waiting for output") although it had finished; the cell's own time limit stays
# --nbval-cell-timeout (pyproject), this only lets late output messages arrive.
NBVAL_OUTPUT_WAIT_S = 60


def pytest_collection_modifyitems(items):
    for item in items:
        if hasattr(item, "output_timeout"):  # nbval's notebook cells
            item.output_timeout = NBVAL_OUTPUT_WAIT_S
