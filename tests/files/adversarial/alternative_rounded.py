# expect: full
# answers: solution
# Shares rounded to three decimals, as the task text allows.
def journey_summary(df):
    minutes = int(df[["travel_min", "queue_min", "service_min"]].to_numpy().sum())
    places = set(df["institution"]) - {"Дом", "В пути"}
    return {
        "total_minutes": minutes,
        "days": df["day"].nunique(),
        "institutions": len(places),
        "payments": int((df["payment_rub"] > 0).sum()),
        "waiting_share": round(df["queue_min"].sum() / minutes, 3),
    }
