"""Contracts linked to the proposals that recommission them, and contract reviews to the
meetings that held them (after demo.proposals and demo.meetings)."""

from .providers import link_recommissioning


def seed(ctx):
    link_recommissioning(ctx)
