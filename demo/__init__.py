"""Demo content for the board papers site: ``seed_demo`` runs ``demo.seed.run``."""
