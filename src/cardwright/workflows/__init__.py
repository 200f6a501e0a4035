"""Workflows that sit beside the command line and use the public API: card diffs, the static
site, exports to Hugging Face and CycloneDX, imports from other card formats, Confluence pages.

Every module here imports its heavy dependencies inside the functions that need them.
"""
