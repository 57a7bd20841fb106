"""Scrapy spiders: one generic spider, ``news``, for every source."""
