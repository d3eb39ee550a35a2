"""The learned answer assessor: grades an answer 1-5 against its question's rubric, offline."""
