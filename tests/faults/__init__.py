"""Fault tests: workers, brokers and databases that die or restart under load."""
