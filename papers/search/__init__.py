"""Permission-aware search: engine, facets, attachment text, the decisions register.

A site shows it with ``papers.search.page.search_page_context(request)`` in its own view and
includes ``papers.search.urls`` for the register; ``papers.search.kinds.register_kind`` adds
its own page types.
"""
