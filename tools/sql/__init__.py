"""The SQL tool's semantic layer, by job: spec (the typed question), parse (question -> spec), compile (spec -> one
guarded SELECT with binds), sentences (answer + interpretation from the spec and rows), run (execution under RLS).
The entry point for callers is tools/sql_tool.py (`run_sql_tool`)."""
