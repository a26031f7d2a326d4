"""The parents' pages. Every view starts from ``get_portal_family_or_404``."""
