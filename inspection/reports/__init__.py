"""Reports: the annual maintenance report, computed from the records at request time."""
