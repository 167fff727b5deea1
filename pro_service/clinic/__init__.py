"""The clinician's side: caseload, pathway timeline and trajectories, evaluation, alerts."""
