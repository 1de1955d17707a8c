# expect: full
# answers: solution
# answer cell: honest_solution
# %%
import os

os._exit(1)
