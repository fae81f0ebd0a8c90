"""Benchmarks and evaluation data for ``checker``.

Nothing here is part of the installed package: the modules read the real corpora from
the shared data directory (see :func:`benchmarks.datasets.shared_dir`) and generate
deterministic drafts from them. No corpus text is stored in the repository.
"""
