"""trust: see DESIGN.md. Models arrive with their issue."""
