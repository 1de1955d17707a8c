# expect: zero
import os

for path in {secret_paths}:
    for target in (path, os.path.dirname(path)):
        try:
            with open(os.path.join(target, "planted_by_learner.py"), "w") as fh:
                fh.write("raise SystemExit('planted')\n")
            print("LEAK: wrote into", target)
        except OSError:
            pass
for target in ("/tmp", os.path.expanduser("~"), "/root"):
    try:
        with open(os.path.join(target, "planted_by_learner.txt"), "w") as fh:
            fh.write("x")
    except OSError:
        pass


def journey_summary(df):
    return {}
