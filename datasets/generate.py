"""Write every dataset of the course into this folder (or the folder given as argument).

    python datasets/generate.py [OUTPUT_DIR]

One script, one fixed seed, the standard library only (``random``'s algorithms are stable
across Python versions), so the same files come out byte for byte on every machine;
``tests/test_datasets.py`` regenerates them into a temporary folder and compares. Seed facts
and synthetic detail are told apart in ``datasets/README.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import random
import sys
from pathlib import Path

SEED = 2017
HERE = Path(__file__).resolve().parent

JOURNEY_COLUMNS = [
    "step_no", "day", "stage", "step", "touchpoint", "institution", "floor",
    "travel_min", "queue_min", "service_min", "payment_rub", "bill", "emotion", "pain",
    "pain_tag",
]  # fmt: skip

POLY = "Поликлиника"
DISP = "Диспансерный корпус (ПНД и НД)"
CENTER = "Медицинский центр (единая площадка)"
HOME = "Дом"
ROAD = "В пути"

# The typical journey before 2017 (synthetic detail, consistent with the seed: up to three
# days, two medical institutions, three separate bills, doctors on the 4th floor).
# step, day, stage, touchpoint, institution, floor, travel, queue, service, rub, bill, emo, pain
AS_IS = [
    ("Узнать, каких врачей пройти и где они принимают", 1, "Подготовка",
     "Телефон и сайт поликлиники", HOME, None, 0, 15, 10, 0, None, -1,
     "Нет единого перечня: порядок врачей и адреса приходится выяснять по телефону"),
    ("Дорога до поликлиники", 1, "Поликлиника", "Общественный транспорт", ROAD, None,
     35, 0, 0, 0, None, 0, None),
    ("Регистратура: талон и медицинская карта", 1, "Поликлиника", "Окно регистратуры", POLY,
     1, 0, 25, 5, 0, None, -1, "Живая очередь: записаться заранее нельзя"),
    ("Оплата осмотров в кассе поликлиники", 1, "Поликлиника", "Касса поликлиники", POLY, 1,
     0, 20, 5, 1300, "Чек 1: поликлиника", -1, "Отдельная касса и отдельный чек"),
    ("Приём офтальмолога", 1, "Поликлиника", "Кабинет врача", POLY, 3, 0, 40, 10, 0, None,
     -1, "Долгое ожидание у кабинета"),
    ("Дорога обратно", 1, "Поликлиника", "Общественный транспорт", ROAD, None, 35, 0, 0, 0,
     None, 0, None),
    ("Дорога до диспансерного корпуса", 2, "Диспансеры", "Общественный транспорт", ROAD,
     None, 45, 0, 0, 0, None, -1, "Второе учреждение в другой части города"),
    ("Регистратура психоневрологического диспансера", 2, "Диспансеры", "Окно регистратуры",
     DISP, 1, 0, 30, 5, 0, None, -1, "У каждого диспансера своя регистратура"),
    ("Оплата в кассе психоневрологического диспансера", 2, "Диспансеры", "Касса ПНД", DISP,
     1, 0, 15, 5, 600, "Чек 2: психоневрологический диспансер", -2,
     "Второй чек за тот же медосмотр"),
    ("Подъём на 4-й этаж и поиск кабинета", 2, "Диспансеры", "Лестница и указатели", DISP, 4,
     5, 0, 0, 0, None, -2, "Врачи принимают на 4-м этаже: тяжело пожилым и людям с детьми"),
    ("Приём психиатра", 2, "Диспансеры", "Кабинет врача", DISP, 4, 0, 50, 10, 0, None, -1,
     "Самая долгая очередь за весь путь"),
    ("Регистратура и касса наркологического диспансера", 2, "Диспансеры", "Касса НД", DISP, 1,
     0, 25, 10, 700, "Чек 3: наркологический диспансер", -2,
     "Третий чек и снова спуск на 1-й этаж"),
    ("Приём нарколога", 2, "Диспансеры", "Кабинет врача", DISP, 4, 0, 45, 10, 0, None, -1,
     "Снова подъём на 4-й этаж и очередь"),
    ("Дорога обратно", 2, "Диспансеры", "Общественный транспорт", ROAD, None, 45, 0, 0, 0,
     None, 0, None),
    ("Дорога до поликлиники", 3, "Заключение", "Общественный транспорт", ROAD, None, 35, 0, 0,
     0, None, -1, "Третий день подряд: снова отпрашиваться с работы"),
    ("Приём терапевта: заключение", 3, "Заключение", "Кабинет врача", POLY, 2, 0, 40, 15, 0,
     None, -1, "Возвращение в первое учреждение ради заключения"),
    ("Оформление справки: печать и регистрация", 3, "Заключение", "Окно выдачи справок", POLY,
     1, 0, 15, 10, 0, None, 1, None),
    ("Дорога обратно", 3, "Заключение", "Общественный транспорт", ROAD, None, 35, 0, 0, 0,
     None, 1, None),
]  # fmt: skip

# The journey after the 2017 project: one site, online booking, one cash desk, doctors on
# the 1st floor (seed facts); minutes are illustrations.
TO_BE = [
    ("Онлайн-запись на медосмотр на удобное время", 1, "Подготовка", "Сайт записи", HOME, None,
     0, 0, 10, 0, None, 1, None),
    ("Дорога до медицинского центра", 1, "Медосмотр", "Общественный транспорт", ROAD, None, 40,
     0, 0, 0, None, 0, None),
    ("Единая регистратура", 1, "Медосмотр", "Окно регистратуры", CENTER, 1, 0, 5, 5, 0, None,
     0, None),
    ("Оплата всех услуг в одной кассе", 1, "Медосмотр", "Единая касса", CENTER, 1, 0, 5, 5,
     2600, "Один чек: все услуги", 1, None),
    ("Приём офтальмолога", 1, "Медосмотр", "Кабинет врача", CENTER, 1, 0, 10, 10, 0, None, 0,
     None),
    ("Приём психиатра", 1, "Медосмотр", "Кабинет врача", CENTER, 1, 0, 10, 10, 0, None, 0,
     None),
    ("Приём нарколога", 1, "Медосмотр", "Кабинет врача", CENTER, 1, 0, 10, 10, 0, None, 0,
     None),
    ("Приём терапевта: заключение", 1, "Заключение", "Кабинет врача", CENTER, 1, 0, 10, 15, 0,
     None, 1, None),
    ("Получение справки", 1, "Заключение", "Окно выдачи справок", CENTER, 1, 0, 5, 5, 0, None,
     2, None),
    ("Дорога обратно", 1, "Заключение", "Общественный транспорт", ROAD, None, 40, 0, 0, 0,
     None, 1, None),
]  # fmt: skip


# The researcher's coding of the as-is pains with the interview pain tags (authored), so that
# the journey and the interviews can be joined: step_no -> tag of interview_texts.PAIN_TAGS.
AS_IS_PAIN_TAGS = {
    1: "unclear_route", 3: "no_booking", 4: "separate_payments", 5: "queues",
    7: "travel_between_sites", 8: "interagency_rules", 9: "separate_payments",
    10: "stairs_access", 11: "queues", 12: "separate_payments", 13: "queues",
    15: "lost_workdays", 16: "travel_between_sites",
}  # fmt: skip


def journey_rows(steps: list[tuple], pain_tags: dict[int, str] | None = None) -> list[dict]:
    pain_tags = pain_tags or {}
    rows = []
    for no, s in enumerate(steps, 1):
        step, day, stage, touch, inst, floor, travel, queue, service, rub, bill, emo, pain = s
        rows.append(
            {
                "step_no": no, "day": day, "stage": stage, "step": step, "touchpoint": touch,
                "institution": inst, "floor": floor, "travel_min": travel, "queue_min": queue,
                "service_min": service, "payment_rub": rub, "bill": bill, "emotion": emo,
                "pain": pain, "pain_tag": pain_tags.get(no),
            }
        )  # fmt: skip
    return rows


def _working_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    while True:
        day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
        if day.weekday() < 5:
            return day


def _next_working_day(day: dt.date, rng: random.Random) -> dt.date:
    day += dt.timedelta(days=rng.choice((1, 1, 2, 3)))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _minutes(rng: random.Random, mean: float, spread: float) -> int:
    return max(0 if mean == 0 else 1, round(rng.gauss(mean, spread * mean)))


def applicants_log(rng: random.Random, n_per_period: int = 150) -> list[dict]:
    """Per-step timestamps for applicants before (autumn 2016) and after (autumn 2018)."""
    rows = []
    periods = (
        ("до", AS_IS, dt.date(2016, 9, 1), dt.date(2016, 11, 30)),
        ("после", TO_BE, dt.date(2018, 9, 3), dt.date(2018, 11, 30)),
    )
    number = 0
    for period, steps, start, end in periods:
        served_steps = [
            (no, s) for no, s in enumerate(steps, 1) if s[4] not in (HOME, ROAD) and s[8] > 0
        ]
        for _ in range(n_per_period):
            number += 1
            # Before: about a third of applicants squeeze the last visit into day 2.
            compress = period == "до" and rng.random() < 0.3
            date = _working_day(rng, start, end)
            visit_day, current_day = 1, None
            clock = None
            for no, s in served_steps:
                day = min(s[1], 2) if compress else s[1]
                if day != current_day:
                    if current_day is not None:
                        if not (compress and day == current_day):
                            date = _next_working_day(date, rng)
                            visit_day += 1
                    current_day = day
                    clock = dt.datetime.combine(date, dt.time(8, 0)) + dt.timedelta(
                        minutes=rng.randrange(0, 180)
                    )
                queue = _minutes(rng, s[7], 0.45)
                service = _minutes(rng, s[8], 0.3)
                queued = clock
                served = queued + dt.timedelta(minutes=queue)
                finished = served + dt.timedelta(minutes=service)
                rows.append(
                    {
                        "applicant_id": f"A{number:04d}",
                        "period": period,
                        "visit_day": visit_day,
                        "step_no": no,
                        "step": s[0],
                        "institution": s[4],
                        "queued_at": queued.strftime("%Y-%m-%dT%H:%M"),
                        "served_at": served.strftime("%Y-%m-%dT%H:%M"),
                        "finished_at": finished.strftime("%Y-%m-%dT%H:%M"),
                        "payment_rub": s[9],
                    }
                )
                clock = finished + dt.timedelta(minutes=rng.randrange(2, 6))
    return rows


# Ideas the project team might have produced for the case (authored illustration). The last
# column marks the four measures the 2017 project actually took (seed facts).
# idea, pain tag, value, feasibility, speed, cost (each 1–5, 5 = best), impact, effort, votes, real
IDEAS = [
    ("Объединить приём психиатра и нарколога на одной площадке", "travel_between_sites",
     5, 3, 3, 3, 5, 4, 7, 1),
    ("Онлайн-запись на медосмотр на конкретное время", "no_booking", 5, 4, 4, 3, 5, 3, 8, 1),
    ("Одна касса для оплаты всех услуг медосмотра", "separate_payments", 4, 4, 5, 4, 4, 2, 6, 1),
    ("Перевести кабинеты врачей с 4-го на 1-й этаж", "stairs_access", 4, 4, 5, 4, 4, 2, 5, 1),
    ("Памятка с порядком прохождения врачей на сайте и в МФЦ", "unclear_route",
     3, 5, 5, 5, 3, 1, 4, 0),
    ("Навигационные указатели и цветная разметка в здании", "poor_signage", 3, 5, 5, 4, 3, 1, 3, 0),
    ("Оплата всех услуг онлайн одним платежом", "separate_payments", 4, 2, 2, 3, 4, 4, 4, 0),
    ("Электронная передача справки в МВД без бумаги", "paper_receipts", 5, 1, 1, 2, 5, 5, 6, 0),
    ("Выездная медкомиссия в районах по графику", "travel_between_sites", 4, 2, 2, 2, 4, 4, 2, 0),
    ("Приём врачей по субботам", "lost_workdays", 4, 3, 4, 2, 4, 3, 3, 0),
    ("Электронная очередь с SMS-оповещением", "queues", 4, 3, 3, 3, 4, 3, 4, 0),
    ("Единый администратор пути заявителя в медицинском центре", "interagency_rules",
     3, 3, 3, 3, 3, 3, 1, 0),
    ("Дополнительный регистратор в часы пик", "staff_overload", 3, 4, 5, 2, 3, 2, 2, 0),
    ("Справка в МФЦ в день медосмотра по межведомственному запросу", "interagency_rules",
     5, 1, 1, 2, 5, 5, 5, 0),
]  # fmt: skip
IDEA_COLUMNS = [
    "idea_id", "idea", "pain_tag", "c_value", "c_feasibility", "c_speed", "c_cost", "impact",
    "effort", "votes", "implemented_2017",
]  # fmt: skip

TEST_TASKS = {  # task: (success probability, median seconds) in round 1 and round 2
    "Записаться на медосмотр онлайн": ((0.62, 260), (0.9, 150)),
    "Найти в памятке, каких врачей пройти": ((0.75, 95), (0.95, 60)),
    "Найти кабинет психиатра по указателям": ((0.7, 120), (0.92, 70)),
    "Оплатить все услуги одним чеком": ((0.85, 140), (0.96, 110)),
}


def usability_tests(rng: random.Random, per_round: int = 12) -> tuple[list[dict], list[dict]]:
    """Two rounds of prototype tests (before and after fixes) and their SUS questionnaires."""
    sessions, sus = [], []
    number = 0
    for round_no in (1, 2):
        for _ in range(per_round):
            number += 1
            pid = f"P{number:02d}"
            skill = rng.gauss(0, 1)
            for task, rounds in TEST_TASKS.items():
                p_success, median = rounds[round_no - 1]
                success = rng.random() < min(0.99, max(0.05, p_success + 0.08 * skill))
                seconds = max(
                    20, round(median * rng.lognormvariate(0, 0.35) * (1.3 - 0.3 * success))
                )
                errors = 0 if success and rng.random() < 0.6 else rng.randint(1, 3)
                sessions.append(
                    {
                        "participant_id": pid,
                        "round": round_no,
                        "task": task,
                        "success": int(success),
                        "time_sec": seconds,
                        "errors": errors,
                    }
                )
            # SUS: odd items positive, even items negative; a better prototype in round 2.
            attitude = (0.3 if round_no == 1 else 1.2) + 0.5 * skill + rng.gauss(0, 0.4)
            row = {"participant_id": pid, "round": round_no}
            for item in range(1, 11):
                sign = 1 if item % 2 else -1
                row[f"q{item}"] = _clamp(3 + sign * attitude + rng.gauss(0, 0.7), 1, 5)
            sus.append(row)
    return sessions, sus


COMPLAINT_TOPICS = {  # topic: (monthly mean before the change, after)
    "очереди": (14, 3),
    "раздельная оплата": (9, 1),
    "поиск кабинетов и этажи": (7, 1),
    "запись на приём": (6, 2),
    "вежливость персонала": (3, 2),
    "сроки выдачи справки": (4, 1),
}


def complaints(rng: random.Random) -> list[dict]:
    """Monthly complaints about the certificate by topic, 2016–2018 (synthetic)."""
    rows = []
    for year in (2016, 2017, 2018):
        for month in range(1, 13):
            after = (year, month) >= (2017, 7)
            for topic, (before_mean, after_mean) in COMPLAINT_TOPICS.items():
                mean = after_mean if after else before_mean
                count = max(0, round(rng.gauss(mean, 0.3 * mean + 0.5)))
                rows.append({"month": f"{year}-{month:02d}", "topic": topic, "count": count})
    return rows


COMMENTS = {
    "до": [
        "Три дня на справку — это слишком.",
        "Почему нельзя заплатить один раз?",
        "На четвёртый этаж без лифта — тяжело.",
        "Никто не объяснил, в каком порядке идти к врачам.",
        "Пришлось брать отгулы на работе.",
        "Очереди везде, записи нет.",
        "Врачи вежливые, но ждать очень долго.",
        "Потеряла чек из одного диспансера, пришлось возвращаться.",
        "Ездил из района два раза, дорога дороже справки.",
    ],
    "после": [
        "Всё в одном месте, очень удобно.",
        "Записался онлайн, пришёл ко времени.",
        "Одна касса — это правильно.",
        "Уложился в одно утро.",
        "Хорошо, что врачи на первом этаже.",
        "Было бы ещё удобнее оплатить онлайн.",
        "Немного подождал у терапевта, в остальном отлично.",
        "Понятные указатели, всё быстро.",
    ],
}
# Mean latent experience and per-criterion offsets (synthetic model, see README).
SURVEY_MODEL = {
    "до": (0.0, {"vk_time": -0.9, "vk_queue": -1.2, "vk_staff": 0.4, "vk_comfort": -0.5,
                   "vk_info": -0.6}),
    "после": (2.1, {"vk_time": 0.0, "vk_queue": -0.2, "vk_staff": 0.2, "vk_comfort": 0.1,
                     "vk_info": 0.0}),
}  # fmt: skip


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def survey(rng: random.Random, n_per_period: int = 200) -> list[dict]:
    """Satisfaction, «Ваш контроль» criteria, CES and NPS before and after (synthetic)."""
    rows = []
    number = 0
    for period, (mean, offsets) in SURVEY_MODEL.items():
        for _ in range(n_per_period):
            number += 1
            e = rng.gauss(mean, 1.0)
            row = {"respondent_id": f"R{number:04d}", "period": period}
            row["satisfaction"] = _clamp(3 + 0.9 * e + rng.gauss(0, 0.5), 1, 5)
            for key, offset in offsets.items():
                row[key] = _clamp(3 + 0.8 * e + offset + rng.gauss(0, 0.6), 1, 5)
            row["ces"] = _clamp(4 + 1.3 * e + rng.gauss(0, 0.7), 1, 7)
            row["nps"] = _clamp(6 + 2.0 * e + rng.gauss(0, 1.0), 0, 10)
            row["comment"] = rng.choice(COMMENTS[period]) if rng.random() < 0.3 else None
            rows.append(row)
    return rows


# --- A messier rollout (synthetic, own random stream) -------------------------------------
# A conditional region (not a real one) rolls out three measures at its three medical centres
# in 2018, one after another: one cash desk (March), a printed route leaflet (June) and booking
# only through the internet (September, phone booking switched off). The model gives the cash
# desk a real effect, the leaflet none, and online-only booking a gain for applicants under 60
# but a loss for those 60 and older (many cannot book online, come without booking, are turned
# away and come back). See datasets/README.md. Its own seed keeps every other file unchanged.
ROLLOUT_SEED = 2018
ROLLOUT_PHASES = [  # (first month, phase label)
    (1, "исходный"),
    (3, "единая касса"),
    (6, "памятка"),
    (9, "только онлайн-запись"),
]
ROLLOUT_DISTRICTS = {"город": 150, "пригород": 190, "отдалённый район": 260}  # base minutes
ROLLOUT_AGES = {"18–34": 0.45, "35–59": 0.35, "60 и старше": 0.20}
# Booking channel shares (online, phone, walk-in) before online-only booking, by age group.
ROLLOUT_BOOKING = {"18–34": (0.50, 0.35, 0.15), "35–59": (0.35, 0.45, 0.20),
                   "60 и старше": (0.10, 0.60, 0.30)}  # fmt: skip
ROLLOUT_ONLINE_ONLY = {"18–34": 0.95, "35–59": 0.90, "60 и старше": 0.45}  # share booking online


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    x, total = rng.random(), 0.0
    for key, weight in weights.items():
        total += weight
        if x < total:
            return key
    return key


def rollout(rng: random.Random, per_month: int = 80) -> list[dict]:
    """Applicants of a conditional region in 2018 while three measures roll out (synthetic)."""
    rows = []
    number = 0
    for month in range(1, 13):
        phase = [label for first, label in ROLLOUT_PHASES if month >= first][-1]
        index = [label for _, label in ROLLOUT_PHASES].index(phase)
        for _ in range(per_month):
            number += 1
            district = rng.choice(list(ROLLOUT_DISTRICTS))
            age = _pick(rng, ROLLOUT_AGES)
            if index < 3:
                online, phone, _walk = ROLLOUT_BOOKING[age]
                booking = _pick(rng, {"онлайн": online, "телефон": phone, "без записи": _walk})
            else:
                share = ROLLOUT_ONLINE_ONLY[age]
                booking = _pick(rng, {"онлайн": share, "без записи": 1 - share})
            minutes = ROLLOUT_DISTRICTS[district] + rng.gauss(0, 25)
            second_visit = 0.35 if index == 0 else 0.15  # one cash desk: fewer returns
            if index >= 1:
                minutes -= 35
            if booking != "без записи":
                minutes -= 25  # a booked time: less queueing
            if index == 3 and booking == "онлайн":
                minutes -= 30  # every slot booked online: the queue is planned
            visits = 1 + (rng.random() < second_visit)
            frustration = 0.0
            if index == 3 and booking == "без записи":
                # online-only booking: an applicant without a booking is sent back to book
                visits += 1
                minutes += 60
                frustration = 0.8
            minutes += (visits - 1) * ROLLOUT_DISTRICTS[district] * 0.5
            score = (3.4 - 0.006 * (minutes - 150) - 0.5 * (visits - 1) - frustration
                     + rng.gauss(0, 0.6))  # fmt: skip
            rows.append({
                "applicant_id": f"P{number:04d}",
                "month": f"2018-{month:02d}",
                "phase": phase,
                "district": district,
                "age_group": age,
                "booking": booking,
                "visits": visits,
                "time_min": max(30, round(minutes)),
                "satisfaction": _clamp(score, 1, 5),
            })  # fmt: skip
    return rows


GAIDAR = "Гайдаровский форум — 2022, Е. Мухтиярова (Минтруд России)"
CIVIL_SERVICE = [
    ("численность", "все госслужащие", 1_000_000, "человек", "около", GAIDAR),
    ("численность", "федеральные (в основном территориальные органы)", 455_000, "человек",
     None, GAIDAR),
    ("численность", "региональные", 300_000, "человек", "около", GAIDAR),
    ("численность", "муниципальные", 200_000, "человек", "около", GAIDAR),
    ("доля женщин", "центральные аппараты", 60, "%", None, GAIDAR),
    ("доля женщин", "территориальные подразделения", 73, "%", None, GAIDAR),
    ("текучесть кадров", "нормальный уровень", 7, "%", None, GAIDAR),
    ("текучесть кадров", "центральные аппараты", 13, "%", "более", GAIDAR),
    ("текучесть кадров", "территориальные органы", 10, "%", None, GAIDAR),
    ("текучесть кадров", "региональные органы власти", 17, "%", "почти", GAIDAR),
]  # fmt: skip

AMUR = ("Амурская область", "«Электронный офис Правительства» на базе «Битрикс24»")
MOSCOW = ("Московская область",
          "Система адаптации и поддержки: Комитет по конкурентной политике и «Региональный "
          "центр торгов»")  # fmt: skip
LENOBL = ("Ленинградская область", "«Бережная коммуникация» для социальной сферы")
SEED2 = "Практики регионов по работе с внутренними клиентами (второй источник курса)"
INTERNAL = [
    (*AMUR, "текучесть кадров", 2021, 11.6, "%", None),
    (*AMUR, "текучесть кадров", 2024, 7.9, "%", None),
    (*AMUR, "ежедневные пользователи портала", 2021, 30, "человек в день", None),
    (*AMUR, "ежедневные пользователи портала", 2024, 700, "человек в день", None),
    (*AMUR, "требования стандарта для внутренних клиентов, выполненные через портал", None, 30,
     "%", None),
    (*MOSCOW, "текучесть кадров среди новых сотрудников", None, 0, "%", None),
    (*MOSCOW, "удовлетворённость практикой", None, 100, "% (по 10-балльной шкале)", None),
    (*LENOBL, "участники обучения", None, 2000, "человек", "более"),
    (*LENOBL, "регионы-участники", None, 17, "регионов", None),
]  # fmt: skip


CIVIL_COLUMNS = ["indicator", "group", "value", "unit", "qualifier", "source"]
INTERNAL_COLUMNS = ["region", "practice", "indicator", "year", "value", "unit", "qualifier"]


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in columns})
    return buf.getvalue()


def _interviews() -> dict:
    spec = importlib.util.spec_from_file_location(
        "interview_texts", HERE / "sources" / "interview_texts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        "about": "Синтетические глубинные интервью (иллюстрация для курса cxlab), 2016 г.",
        "pain_tags": module.PAIN_TAGS,
        "interviews": module.INTERVIEWS,
    }


def build() -> dict[str, str]:
    """Return ``{file name: file text}`` for every dataset."""
    rng = random.Random(SEED)
    log = applicants_log(rng)
    answers = survey(rng)
    sessions, sus = usability_tests(rng)
    monthly = complaints(rng)
    ideas = [
        dict(zip(IDEA_COLUMNS, (f"I{i:02d}", *idea), strict=True))
        for i, idea in enumerate(IDEAS, 1)
    ]
    files = {
        "belgorod_journey_as_is.csv": _csv(journey_rows(AS_IS, AS_IS_PAIN_TAGS), JOURNEY_COLUMNS),
        "belgorod_journey_to_be.csv": _csv(journey_rows(TO_BE), JOURNEY_COLUMNS),
        "belgorod_applicants_log.csv": _csv(log, list(log[0])),
        "belgorod_survey.csv": _csv(answers, list(answers[0])),
        "civil_service_stats.csv": _csv(
            [dict(zip(CIVIL_COLUMNS, r, strict=True)) for r in CIVIL_SERVICE], CIVIL_COLUMNS
        ),
        "internal_clients_regions.csv": _csv(
            [dict(zip(INTERNAL_COLUMNS, r, strict=True)) | {"source": SEED2} for r in INTERNAL],
            [*INTERNAL_COLUMNS, "source"],
        ),
        "belgorod_ideas.csv": _csv(ideas, IDEA_COLUMNS),
        "belgorod_usability_tests.csv": _csv(sessions, list(sessions[0])),
        "belgorod_sus.csv": _csv(sus, list(sus[0])),
        "belgorod_complaints.csv": _csv(monthly, list(monthly[0])),
        "belgorod_interviews.json": json.dumps(_interviews(), ensure_ascii=False, indent=1) + "\n",
    }
    rolled = rollout(random.Random(ROLLOUT_SEED))
    files["rollout_region_2018.csv"] = _csv(rolled, list(rolled[0]))
    return files


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    files = build()
    for name, text in files.items():
        (out / name).write_bytes(text.encode("utf-8"))
    print(f"wrote {len(files)} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
