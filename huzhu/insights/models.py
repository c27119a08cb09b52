"""insights: see DESIGN.md. Models arrive with their issue."""
