"""Who saw or changed which patient's data, when, from where."""
