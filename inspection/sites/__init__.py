"""Departments (the branch's units) and sites (toll stations, service areas, depots…)."""
