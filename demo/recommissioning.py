"""Contracts linked to the proposals that recommission them (after demo.proposals)."""

from .providers import link_recommissioning


def seed(ctx):
    link_recommissioning(ctx)
