"""Checks across the files of one archive (the A codes): an article's URL already used by an
older article of the same archive (A001).

The per-file engine records, for each file it parses, the file's cross-file keys
(``keys``); after every file is checked (and after the worker processes), ``compare`` reads
the keys of the other files of each archive from a MAC'd index kept with the result cache
(``index``), re-reading only files whose stat signature changed, and reports what repeats.
Which files form an archive is ``members``' business.
"""
