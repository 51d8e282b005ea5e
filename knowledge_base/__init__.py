"""The city's knowledge: FAQ entries staff curate, shelter data, and the code that searches them."""

from pathlib import Path

KB_ROOT = Path(__file__).resolve().parent
FAQ_DIR = KB_ROOT / "faq"
