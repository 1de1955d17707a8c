# expect: full
# answers: solution
# answer cell: honest_solution
# %%
# duplicate-grade-id: the learner copied the answer cell (see the test)
journey_summary(journey)
