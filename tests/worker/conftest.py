"""The letter area's seeded pathway (scores at each milestone and a GP) for the due-letter job."""
from tests.letters.conftest import make_letter_pathway  # noqa: F401  (a fixture, shared)
