"""`make bench`: speed ratios against the anchors named in the issues."""
