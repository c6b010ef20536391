"""Output: interactive maps, tables, exports. Never mutates the graph it draws."""
