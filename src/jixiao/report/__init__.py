"""The report writer: the self-evaluation report (.docx/.pdf/.html/.md) and the 自评表 (.xlsx/.docx).

`context` and `table_layout` are pure (model + scorecard → strings and a cell grid);
the format modules only lay those out. Heavy libraries are imported lazily by the
format modules so that `jixiao score` stays fast.
"""
