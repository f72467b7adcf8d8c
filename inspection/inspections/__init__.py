"""Safety self-inspections (安全生产自查): kinds, scope, checklists, hazards raised, 回头看."""
