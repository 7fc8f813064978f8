"""Views of one verdict: text and JSON, HTML and heatmaps, CSV, Gradescope and PrairieLearn, batch summaries.

They judge nothing: every format shows the same verdict dict.
"""
