"""The board's outputs: headlines written from the numbers, the slides, and the pack as PowerPoint and PDF."""
