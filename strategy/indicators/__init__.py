"""Population indicators: reading their files, importing them, their statistics, trends and trend charts."""
