# expect: full
# answers: solution
# answer cell: honest_solution
# %%
import subprocess

subprocess.Popen(["sleep", "300"], start_new_session=True)
subprocess.Popen(
    'nohup python3 -c "import time; time.sleep(300)  # CXLAB-ZOMBIE-CANARY" &', shell=True
)
