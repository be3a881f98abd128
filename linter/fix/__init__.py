"""Fixes: byte-exact repairs of mechanical defects, verified before anything is written."""
