"""``python -m orgnet`` runs the command line."""

from orgnet.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
