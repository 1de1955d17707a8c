# expect: full
# answers: solution
# answer cell: honest_solution
# %%
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
