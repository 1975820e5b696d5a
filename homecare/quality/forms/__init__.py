"""The quality pages' forms, by what they are for."""
