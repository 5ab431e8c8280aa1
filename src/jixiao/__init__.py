"""jixiao（绩效）: budget performance self-evaluation — scoring, checks, reports, audit."""

__version__ = "0.1.0"
