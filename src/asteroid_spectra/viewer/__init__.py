"""Interactive figures (Plotly) for the web viewer and the HTML report."""
