"""Monthly PDF packs: a provider's and the market's month in one printable document."""
