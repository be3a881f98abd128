"""Layer 3: the checks a schema cannot express, one documented function each."""
