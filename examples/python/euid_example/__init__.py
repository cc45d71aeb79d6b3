"""The example publisher site on euid_sdk (Flask)."""
