"""Routers, one per area of the URL space."""
