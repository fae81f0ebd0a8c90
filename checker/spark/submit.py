"""The ``spark-submit`` entry point: the checker command line, on the cluster's
master (``spark-submit`` sets it; ``--spark-master`` is then not needed).

Example::

    spark-submit --master spark://head:7077 \\
        --archives checker-env.tar.gz#env \\
        --conf spark.pyspark.python=./env/bin/python \\
        "$(python -c 'import checker.spark.submit as m; print(m.__file__)')" \\
        index add hdfs://nn/archive/ --index "$CHECKER_WRITER_URL" --engine spark

(``python -m checker.spark ...`` runs the same in client mode.)
"""

from __future__ import annotations

from checker.cli import main

if __name__ == "__main__":
    main()
