"""Model file formats: text -> syntax tree (with locations) and back."""

from mtorsim.formats.io import FORMATS, detect_format, read_rules, write_rules

__all__ = ["FORMATS", "detect_format", "read_rules", "write_rules"]
