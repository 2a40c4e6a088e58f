"""The partnership's milestones as a feature: the model and its loader (`model`), Norwegian dates and lead
times (`dates`), the pure reminder planner (`planner`) and the chat's view of it all (`desk`)."""
