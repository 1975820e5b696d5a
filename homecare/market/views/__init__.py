"""Pages of the market oversight (issue 12)."""
