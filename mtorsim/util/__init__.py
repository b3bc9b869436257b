"""Support with no model knowledge: atomic writes (``safeio``), the memory budget
(``resources``), seeds (``seeds``) and optional pandas tables (``frames``)."""
