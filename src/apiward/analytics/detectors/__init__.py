"""Behavioural detectors, one per module; the ordered built-in list is ``default_detectors()``."""
