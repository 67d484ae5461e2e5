"""The ``orgnet`` command: thin click commands over graphmodel, loaders, queries and visualizations."""

__version__ = "0.1.0"
