"""The web layer: create_app and everything it serves."""
