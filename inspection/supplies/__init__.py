"""Emergency supplies: items, stock per depot with minimum levels, movements (#15)."""
