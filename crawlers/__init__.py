"""The crawler, the only package that imports Scrapy: settings, spider, pipeline, middlewares."""
