"""Workflows: read a store, call analysis, hand results to render or back to the store.

The layer between the library stages and their shells (the CLI, the demo): it may import store,
graph, analysis and render; nothing below it imports it.
"""
