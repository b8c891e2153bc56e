"""Thin function views, by area."""
