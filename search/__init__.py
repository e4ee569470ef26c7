"""Search: the engine interface, Vietnamese analysis and the index outbox.

An empty seam for now; the search issue fills it. Nothing in ``portal`` imports it.
"""
