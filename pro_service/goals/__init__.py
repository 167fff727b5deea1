"""Own goals (Goal Based Outcomes, issue 17): up to three goals per respondent and pathway, rated 0–10."""
