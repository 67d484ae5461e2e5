"""Interactive network maps and HTML reports built from a graph and its findings."""
