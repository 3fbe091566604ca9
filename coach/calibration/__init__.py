"""Calibration of the rubric against human grades and labels."""
