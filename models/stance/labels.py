"""The four stances, in the order the model's outputs use."""
CORROBORATES, CONTRADICTS, DISCUSSES, UNRELATED = "corroborates", "contradicts", "discusses", "unrelated"
LABELS = (CORROBORATES, CONTRADICTS, DISCUSSES, UNRELATED)
