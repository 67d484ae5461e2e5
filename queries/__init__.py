"""The checks of spec section 7, one module per family, and their Cypher twins."""
