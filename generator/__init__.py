"""Corroborate: a static summary site for one news story told by several outlets.

The pipeline, in order: ingest → clean → segment → analyse → align → consolidate → render.
`pipeline.build_story` runs it; `plugin` adapts it to MkDocs and `cli` to the command line.
"""

__version__ = "0.1.0"
