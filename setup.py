"""The one part of the package in C: the plain CSV reader (src/policylang/io/_plaincsv.c), about
twice as fast as polars at reading a roster's cells as the streamed reader needs them
(docs/performance.md). It is optional: where it cannot be built (no C compiler), the package
installs without it and reads the same files by polars alone, to the same decisions. Everything
else is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("policylang.io._plaincsv", ["src/policylang/io/_plaincsv.c"], optional=True)])
