"""How dates and times read in each language of the product.

The product serves the Netherlands and the United Kingdom: English reads day-month
dates and 24-hour times ("9 December 2026, 16:01"), never Django's American defaults.
Dutch keeps Django's own Dutch formats, which already read that way."""
