"""What the market oversight pages and the packs show, ready to render."""
