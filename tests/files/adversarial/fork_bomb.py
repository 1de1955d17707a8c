# expect: full
# answers: solution
# answer cell: honest_solution
# %%
import os
import time

for _ in range(3000):
    try:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    except OSError:
        break
