"""paperlib: small, real implementations of the papers in the Korean paper-companion book.

Importing the package has no side effects; import the submodules you need:

    from paperlib import runtime, train, metrics, plotting, explorer
    from paperlib.methods import distillation, margin_losses
"""

__version__ = "0.1.0"
