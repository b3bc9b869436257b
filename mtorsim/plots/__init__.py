"""Figures of simulation results (trajectory heatmaps), drawn off-screen with matplotlib."""
