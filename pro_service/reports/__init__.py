"""Outcome beside process: quality reports for units, health trusts and regions."""
