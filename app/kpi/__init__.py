"""Targets to 2030, dashboard figures, reports and open-data exports."""
