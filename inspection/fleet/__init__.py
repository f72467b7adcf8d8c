"""Vehicles and machinery, their service events, and drivers (#15)."""
