"""The deterministic demo scenario: a fictional online ecosystem written in real export formats.

``veille.demo.generate.write_scenario(folder)`` writes the files and their ground truth.
"""
