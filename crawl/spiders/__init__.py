"""Spiders of graphscan: ``BlogSpider`` in :mod:`crawl.spiders.blogs`."""
