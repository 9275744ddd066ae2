"""Recurring jobs that run once per period whatever the number of workers: run records and booking locks."""
