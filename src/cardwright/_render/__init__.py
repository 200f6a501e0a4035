"""Rendering a card and its computed results to Markdown, HTML, PDF or JSON.

Private: the public entry point is :func:`cardwright.render`; :mod:`.api` implements it.  Render
formats and never computes (the public API composes compute and render).  Nothing heavy is
imported until a render runs.
"""
