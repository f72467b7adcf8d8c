"""Repairs: shoulder, slope and pothole work with quantities, materials and photos."""
