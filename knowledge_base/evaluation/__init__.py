"""The FAQ development set (resident-style queries with the entry that answers each) and its metrics."""
