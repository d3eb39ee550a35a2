"""Progress over time: scores per topic and dimension across a user's interviews, recurring themes, a plan."""
