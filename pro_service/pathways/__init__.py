"""Pathways: a patient's run through a package — milestones, assessments, invitations."""
