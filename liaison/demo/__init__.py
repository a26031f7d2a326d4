"""Demo data: the small set that ``make run`` shows (``seed_demo``) and the generator of
a national service's worth of families for ``make bench`` (``bulk``)."""
