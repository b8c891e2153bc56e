"""Question-bank import: the only code that reads content/."""
