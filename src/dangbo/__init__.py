"""Đảng bộ số: Party-building and emulation work of an enterprise Party committee."""
