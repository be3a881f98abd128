"""lint-news: a linter and validator for news articles with YAML frontmatter."""

__version__ = "0.1.0"
