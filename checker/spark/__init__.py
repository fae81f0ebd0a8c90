"""Bulk build and archive audit on Apache Spark (``--engine spark``).

The executors run checker's own code: the readers, the rights finder and the
batch sketch kernels (:func:`checker.ingest.prepare_batch`), and they write to
the shared PostgreSQL index with its own write path (COPY, one transaction per
batch of whole articles). So a build on Spark gives the same documents and band
rows as ``checker index add`` on one machine, and an audit the same verdicts as
``checker scan``.

- :mod:`checker.spark.inputs`: files, JSONL records and table rows to documents
  (executor side, no Spark import);
- :mod:`checker.spark.tasks`: what one partition does (build, audit), as Arrow
  record batches in and out (``mapInArrow``);
- :mod:`checker.spark.jobs`: the driver: the session, the input table, the
  jobs and their summaries (imports pyspark);
- :mod:`checker.spark.submit`: the ``spark-submit`` entry point.

Nothing here is imported unless ``--engine spark`` is asked for: a normal scan
never loads pyspark.
"""
