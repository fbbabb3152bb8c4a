"""DuckDB storage of a case: the only package that writes SQL."""
