# expect: zero
import os

import sys

import cxlab

here = os.getcwd()
# What the kernel may see: its own folder, the Python environment, the course library and data.
library = os.path.dirname(cxlab.__file__)
ways = [
    here,
    sys.prefix,
    sys.base_prefix,
    library,
    os.path.join(os.path.dirname(library), "datasets"),
]


def allowed(path):
    base = path.rstrip("/") + "/"
    return {w[len(base) :].split("/")[0] for w in ways if w.startswith(base)}


for path in {secret_paths}:
    try:
        if os.path.isfile(path):
            open(path, "rb").read(10)
            print("LEAK: read", path)
        elif os.path.isdir(path) and path != here:
            extra = [n for n in os.listdir(path) if n not in allowed(path)]
            if extra:
                print("LEAK: listed", path, extra[:5])
    except OSError:
        pass
found = []
for root, dirs, files in os.walk("/"):
    if root.startswith(("/proc", "/sys", "/dev", "/usr")) or "site-packages" in root:
        dirs[:] = []
        continue
    for name in files:
        if name.endswith((".ipynb", "answers.json", "gradebook.db", "cohort.json")):
            if root != here:
                found.append(os.path.join(root, name))
if found:
    print("LEAK: found", found[:5])


def journey_summary(df):
    return {}
