"""Formative feedback on what learners write: interview questions and «Как мы могли бы…».

These heuristics *teach*; they never grade. Their accuracy is measured on labelled sets in
``tests/files/`` (see ``scripts/eval_feedback.py``), and a learner who disagrees with a verdict
is told why the heuristic thought so, so that the feedback is a prompt to think, not a judge.

- :func:`classify_question` sorts a Russian interview question into ``"open"`` (invites a
  story), ``"closed"`` (answered by yes/no or one fact) or ``"leading"`` (suggests the answer).
- :func:`question_feedback` adds a Russian explanation and a tip.
- :func:`hmw_feedback` checks a «Как мы могли бы…» statement for a user, a need and an insight,
  and warns when it is a solution in disguise.
- :func:`insight_is_solution` tells whether the «потому что…» of a problem statement offers
  a solution (what to build or change) instead of a reason found in the interviews.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "QUESTION_KINDS",
    "HMWFeedback",
    "classify_question",
    "hmw_feedback",
    "insight_is_solution",
    "question_feedback",
]

QUESTION_KINDS = {"open": "открытый", "closed": "закрытый", "leading": "наводящий"}


def _norm(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[«»\"“”„]", "", text)
    text = re.sub(r"\s+", " ", text).strip(" -–—\t")
    return text


# Words that open a question without changing its kind («Скажите, пожалуйста, …»).
_PREFIX = re.compile(
    r"^(?:а|и|ну|так|вот|хорошо|понятно|ясно|теперь|кстати|извините|простите|"
    r"скажите|подскажите|пожалуйста|уточните|а можно спросить|можно спросить|"
    r"можно уточнить|позвольте спросить|интересно|и еще|еще|ещё)\b[,.!:]?\s*"
)

# -- leading: the question suggests the answer --------------------------------------------
_LEADING = [
    r"\bне\s?правда ли\b",
    r"\bне так ли\b",
    r"\bсогласитесь\b",
    r"\bсоглас(?:ны|ен|на)(?: ли)?(?: вы)?,? (?:с тем,? )?что\b",
    r"\bвы (?:же|ведь)\b",
    r"\bведь\b",
    r"\bразве\b",
    r"\bнеужели\b",
    r"\bнаверное\b",
    r"\bнаверняка\b",
    r"\bконечно\b",
    r"\bочевидно\b",
    r"\bсогласен\b",
    r"\bправда же\b",
    r"\bтак же\b.*\?$",
    r"\bне кажется ли\b",
    r"\bвам не кажется\b",
    r"\bне считаете ли\b",
    r"\bне думаете ли\b",
    r"\bне находите\b",
    r"\bне (?:хотели|хотелось|было) бы\b",
    r"\b(?:вы бы|бы вы) (?:хотели|предпочли)\b",
    r"\bхотели бы вы\b",
    r"\bбыло бы (?:ли )?(?:вам )?(?:удобнее|лучше|проще|быстрее|удобно|хорошо|легче)\b",
    r"\b(?:стало|стала|стали|станет) (?:ли )?(?:вам )?(?:намного |гораздо |ведь )?"
    r"(?:удобнее|лучше|проще|быстрее|легче|комфортнее|понятнее)\b",
    # tag questions: «…, да?», «…, верно?», «…, правда?»
    r",\s*(?:да|верно|правда|так|так ведь|не так|ага|согласны|не находите|не правда)\s*\??$",
    # a negative yes/no question presupposes the «yes»: «Не было ли вам неудобно…?»
    r"^не\b[^?]*\bли\b",
    r"^(?:а )?не\s+(?:слишком|очень|тяжело|трудно|утомительно|обидно|стыдно)\b",
    # intensity of a feeling or an improvement the interviewer assumes
    r"\b(?:как|насколько) (?:же )?(?:сильно|сильнее|сильней|тяжело|больно|обидно|неприятно|"
    r"неудобно|долго вам пришлось|утомительн\w*|раздраж\w*|плохо|ужасно)\b",
    r"\bнасколько (?:же )?(?:больше |меньше )?(?:удобнее|лучше|проще|быстрее|хуже|сложнее|"
    r"легче|понятнее|комфортнее|довольнее|меньше|больше)\b",
    r"\b(?:во )?сколько раз (?:удобнее|лучше|быстрее|проще)\b",
    # the interviewer's own solution offered for approval
    r"\bстоило бы\b",
    r"\bне лучше ли\b",
    r"\b(?:упростил|облегчил|ускорил|помог|улучшил|сократил|решил|спас)\w* бы\b",
    # emphatic «же»: «Три дня — это же слишком много?»
    r"\b(?:это|вы|вам|там|тут|было|ведь) же\b",
    # an evaluation built into the object: «такой неудобной», «новой удобной схеме»
    r"\bтак(?:ой|ая|ое|ие|им|ую|ого) (?:неудобн|плох|долг|сложн|ужасн|медленн|запутанн|"
    r"неэффективн|утомительн)\w*",
    r"\b(?:удобн|хорош|замечательн|прекрасн|отличн|понятн)\w* (?:нов\w* )?(?:схем|систем|"
    r"порядк|сервис|формат)\w*",
    r"\b(?:значительн|заметн|огромн|серьезн|явн)\w* (?:улучшени|упрощени|ускорени)\w*",
    r"\bкакие еще (?:неудобств|проблем|трудност|недостатк|минус)\w*",
]
# Loaded words: the question takes a strong evaluation for granted.
_LOADED = (
    r"\b(?:раздраж|бесил|бесит|бесят|возмущ|злил|злит|злост|ужас|кошмар|мучен|мучил|"
    r"мучител|унизит|издевател|бардак|хамств|хамил|хамят|безобраз|ненавист|отвратит|"
    r"изматыва|нервир|беспредел|волокит|абсурд|идиотск|глуп|бессмыслен|чудовищ|"
    r"невыносим|безумн|позор|бесконечн|впустую|облегчени|нервов|нервы)\w*"
)

# -- open: the question invites a story ---------------------------------------------------
_OPEN_START = re.compile(
    r"^(?:расскажите|расскажи|опишите|опиши|вспомните|вспомни|поделитесь|покажите|"
    r"объясните|поясните|представьте|приведите пример|давайте (?:вспомним|представим|"
    r"пройдем|пройдём|разберем|разберём|поговорим)|проведите меня|прокомментируйте|"
    r"продолжайте|что было дальше|что было потом|а дальше|а потом|и дальше|и потом|"
    r"что дальше|что потом)\b"
)
# «Можете рассказать подробнее?» is a polite request for a story, not a yes/no question.
_STORY_REQUEST = re.compile(
    r"\b(?:можете|могли бы|не могли бы|сможете|можно)\b.*\b(?:рассказать|описать|показать|"
    r"объяснить|вспомнить|поделиться|пояснить)\b"
)
_OPEN_NOUNS = (
    r"(?:трудност|сложност|проблем|чувств|эмоци|впечатлен|мысл|ощущен|момент|ситуаци|"
    r"истори|ожидани|опасени|причин|ошибк|совет|препятстви|вопрос|барьер|страх|сомнени|"
    r"идеи|пожелани|переживани|событи|шаг|действи|задач|обстоятельств|неудобств|"
    r"способ|привычк|особенност|последстви|рол)"
)

# -- closed: one fact or yes/no ---------------------------------------------------------
_FACT_WORDS = (
    r"(?:сколько|во сколько|когда|где|куда|откуда|кто|кого|кому|кем|ком|чей|чья|чье|чьи|"
    r"который|которая|которое|которые|которого|которой|котором|каком|какой|какая|какое|"
    r"какие|какую|каких|каким|какими|как часто|как долго|как давно|как далеко|как скоро|"
    r"как быстро|как много|как зовут|как называется|как звали|как именно звали|"
    r"в каком|в какой|в какое|в какие|на каком|на какой|на какую|с какого|с какой|"
    r"до какого|до какой|через сколько|за сколько|на сколько|насколько|сколько раз|на чем|"
    r"с кем)"
)
# Longer alternatives first: «как часто» must win over «как», «каким образом» over «каким».
_QUESTION_WORD = re.compile(
    r"\b(?:каким образом|каково|" + _FACT_WORDS[3:-1] + r"|как|почему|зачем|отчего|что|чем|чего|"
    r"чему)\b(?!-)"
)


def classify_question(text: str) -> str:
    """Classify a Russian interview question as ``"open"``, ``"closed"`` or ``"leading"``.

    Raises ``ValueError`` (in Russian) when there is no question to judge (no letters).
    A question that is both yes/no and suggestive is ``"leading"``: suggestion is the
    worse fault in an empathy interview.
    """
    if not isinstance(text, str) or not re.search(r"[^\W\d_]", text):
        raise ValueError("Нет вопроса: напишите вопрос словами.")
    t = _norm(text)
    if any(re.search(p, t) for p in _LEADING) or re.search(_LOADED, t):
        return "leading"
    while True:
        stripped = _PREFIX.sub("", t, count=1)
        if stripped == t:
            break
        t = stripped
    if _OPEN_START.search(t) or _STORY_REQUEST.search(t):
        return "open"
    if re.search(r"\bли\b", t):
        return "closed"
    if re.search(r"\bили\b", t):
        return "closed"
    match = _QUESTION_WORD.search(t)
    if match is None:
        # «Очередь была?», «Вы приехали на машине?»: a yes/no question without «ли».
        return "closed"
    word = match.group(0)
    rest = t[match.end() :]
    if re.fullmatch(_FACT_WORDS, word):
        if word.startswith(("как", "какой", "какая", "какое", "какие", "какую", "каким", "каких")):
            if re.match(r"\s*(?:\w+\s+){0,2}" + _OPEN_NOUNS, rest) or re.match(
                r"\s*(?:был|была|было|были|бывает|бывают|стал|стала|стало|стали)\b", rest
            ):
                return "open"
        return "closed"
    if word in ("что", "чем", "чего", "чему") and re.match(
        r"\s+из\s+(?:этого|перечисленного|них|списка|вариантов)", rest
    ):
        return "closed"
    if word == "как" and re.match(r"\s+(?:вас|тебя|его|ее|её|их)\s+зовут", rest):
        return "closed"
    return "open"


_ADVICE = {
    "open": (
        "Открытый вопрос: приглашает рассказать историю или объяснить. Хорошо для интервью; "
        "уточняйте детали вопросами «Как именно…?», «Почему…?», «Что было дальше?»."
    ),
    "closed": (
        "Закрытый вопрос: на него можно ответить «да», «нет» или одним фактом, и рассказа не "
        "получится. Переформулируйте: «Расскажите, как…», «Что вы делали, когда…», «Почему…»."
    ),
    "leading": (
        "Наводящий вопрос: он подсказывает ответ или оценку («ведь», «не правда ли», "
        "«согласитесь», готовое решение, предположение о чувствах). Спросите нейтрально: "
        "«Расскажите, как это было» — и дайте человеку самому назвать, что ему мешало."
    ),
}


def question_feedback(text: str) -> tuple[str, str]:
    """Return ``(kind, Russian advice)`` for an interview question (see classify_question)."""
    kind = classify_question(text)
    return kind, _ADVICE[kind]


# -- «Как мы могли бы…» ---------------------------------------------------------------------
_HMW_FRAME = re.compile(
    r"^(?:как|каким образом) (?:бы )?(?:мы|нам) (?:могли бы|можем|могли|смогли бы|сможем|"
    r"бы могли|бы смогли|помочь|сделать|обеспечить|дать|добиться|избавить|\w+ть)\b"
)
_GENERIC_USER = r"(?:граждан\w*|люд\w*|человек\w*|всех|все|население\w*|общест\w*|народ\w*)"
# Words for everyone who uses this service: a user only with a qualifier («пожилым водителям»,
# «заявителям из районов», «водителям-дальнобойщикам»), since alone they name nobody.
_BROAD_USER = (
    r"(?:заявител|водител|пациент|посетител|клиент|получател|граждан|люд|жител|пользовател)\w*"
)
_QUALIFIED = re.compile(
    r"\b\w+(?:ым|им|ых|их|ой|ей|ая|яя|ые|ие|ому|ему)\s+(?:\w+\s+)?"
    + _BROAD_USER
    + r"|\b"
    + _BROAD_USER
    + r"(?:-\w+|,?\s+(?:из|с|без|старше|младше|до|после|котор\w*|"
    r"у которых|впервые|в возрасте|на|в|\w+(?:ых|их))\b)"
)
_SPECIFIC_USER = re.compile(
    r"\b(?:пенсионер|пожил|родител|студент|школьник|учени|врач|терапевт|сотрудник|специалист|"
    r"молод|мам|пап|инвалид|маломобил|предпринимател|автомобилист|кандидат|новичк|ветеран|"
    r"работающ|сельск|иногород|регистратор|кассир|медсестр|чиновник|служащ|госслужащ|"
    r"руководител|заведующ|оператор|коллег|подчинен|начинающ|беремен|абитуриент|призывник|"
    r"курсант|семь|дет|приезж|мигрант|иностран|слабовидящ|глух|слепы|подрост|дальнобойщ|"
    r"водителям-|фермер|вахтовик|тех,? кто|тем,? кто|того,? кто|тому,? кто|тем,? у кого|"
    r"тех,? у кого)\w*"
)
_SOLUTION = re.compile(
    r"\b(?:созда|сдела|разработа|внедр|запуст|установ|постав|откр|вве|купи|закуп|наня|"
    r"постро|организова|написа|выпуст|повес|размест|добав|оборудова|увеличи|цифровизир)\w*"
    r"\s+(?:\w+\s+){0,3}?(?:приложени|сайт|портал|терминал|чат-?бот|бот|систем|окн|кабинет|"
    r"табло|киоск|электронн|онлайн|мобильн|программ|платформ|очеред|указател|стенд|памятк|"
    r"форм|единое|центр|службу|отдел|шрифт|процесс)\w*"
)
# What the user wants to achieve: verbs of a result, not «помочь» or «улучшить» alone.
_NEED = re.compile(
    r"\b(?:получ|понима|понять|знать|узна|пройти|проход|оплат|плат|тратить|потрат|"
    r"экономи|сэконом|успе|записа|попа|найти|находить|ждать|чувствова|быть уверен|"
    r"не терять|не приходить|не ездить|не стоять|справиться|справляться|добира|добра|"
    r"планирова|сократить|уменьшить|сохранить|не возвращаться|не бегать|вернуть|"
    r"разобраться|ориентирова|не бояться|не волноваться|уложиться|совместить|собрать|"
    r"избежать|не ждать|не тратить|не платить|сделать так,? чтобы|чтобы \w+ мог)\w*"
)
_INSIGHT = re.compile(
    r"(?:\bпотому,? что\b|\bтак как\b|\bпоскольку\b|\bведь\b|\bиз-за того,? что\b|"
    r"\bучитывая,? что\b|\bзная,? что\b|\bибо\b|\bт\.\s?к\.|"
    r"\bтем более что\b|\bиначе\b|\bчтобы не\b|\s[—–-]\s|:\s)"
    r"\s*(?:\S+\s+){2,}\S+"
)
# Any other infinitive after the user is a need too, unless it is vague or a frame verb.
_INFINITIVE = re.compile(r"\b\w{3,}(?:ть|ться|ти|чь)\b")
_VAGUE = re.compile(
    r"^(?:помочь|помогать|мочь|улучшить|улучшать|оптимизировать|упростить|облегчить|"
    r"поддержать|поддерживать|повысить|навести|изменить|цифровизировать|автоматизировать|"
    r"модернизировать|реформировать|сделать|делать|обеспечить|решить|быть|стать|поработать|"
    r"работать)$"
)
# Reasons that explain nothing about the user.
_HOLLOW = re.compile(
    r"(?:так надо|это важно|это нужно|наша задача|все делают|у всех есть|это модно|"
    r"нам сказали|так положено|требует руководство|по плану|им неудобно|так решили)"
)
_BROAD = re.compile(
    r"\b(?:улучшить|изменить|реформировать|повысить качество|сделать лучше)\s+"
    r"(?:\w+\s+)?(?:здравоохранени|медицин|госуслуг|государств|систем|жизн|работу государ|"
    r"все|всё)\w*"
)


@dataclass(frozen=True)
class HMWFeedback:
    """What a «Как мы могли бы…» statement has and lacks, with Russian advice."""

    frame: bool
    user: bool
    need: bool
    insight: bool
    solution: bool = False
    broad: bool = False
    messages: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.frame and self.user and self.need and self.insight and not self.solution


def hmw_feedback(text: str) -> HMWFeedback:
    """Check a «Как мы могли бы…» statement for a user, a need and an insight."""
    if not isinstance(text, str) or not re.search(r"[^\W\d_]", text):
        return HMWFeedback(
            False, False, False, False, messages=("Пока пусто: напишите формулировку.",)
        )
    t = _norm(text)
    # An insight may come first, as its own sentence: «Заявители теряют день. Как мы…?»
    lead, _dot, rest = t.partition(". ")
    framed = _HMW_FRAME.search(rest) if rest else None
    if framed and len(lead.split()) >= 4:
        t, leading_reason = rest, lead
    else:
        leading_reason = ""
    frame = bool(_HMW_FRAME.search(t))
    reason = _INSIGHT.search(t)
    body = t[: reason.start()] if reason else t
    who = f"{leading_reason} {body}"
    user = bool(_SPECIFIC_USER.search(who) or _QUALIFIED.search(who))
    solution = bool(_SOLUTION.search(body)) and not re.search(r"\bчтобы\b", body)
    verbs = [v for v in _INFINITIVE.findall(body) if not _VAGUE.match(v)]
    need = bool(_NEED.search(body) or verbs) and not solution
    because = leading_reason or (reason.group(0) if reason else "")
    insight = bool(because) and not _HOLLOW.search(because)
    broad = bool(_BROAD.search(t))
    messages = []
    if not frame:
        messages.append(
            "Начните с «Как мы могли бы…»: так формулировка остаётся вопросом, а не готовым "
            "решением."
        )
    if not user:
        if re.search(r"\b" + _GENERIC_USER + r"\b", t):
            messages.append(
                "«Граждане» и «люди» — слишком широко. Назовите конкретную группу "
                "пользователей: «пожилые водители из районов», «работающие родители»."
            )
        else:
            messages.append("Не видно пользователя: для кого мы это делаем?")
    if solution:
        messages.append(
            "Это похоже на готовое решение (приложение, терминал, окно). Спросите, какую "
            "потребность оно закрывает, и сформулируйте её вместо решения."
        )
    elif not need:
        messages.append(
            "Не видно потребности: чего пользователь хочет добиться? Например, «получить "
            "справку за один визит», «понимать, сколько придётся ждать»."
        )
    if not insight:
        messages.append(
            "Добавьте инсайт — почему это важно, что вы узнали в интервью: «…, потому что "
            "каждый визит стоит им дня работы»."
        )
    if broad:
        messages.append("Слишком широко: сузьте до одной ситуации на пути заявителя.")
    if frame and user and need and insight and not solution:
        messages.insert(0, "Есть пользователь, потребность и инсайт — хорошая формулировка.")
    return HMWFeedback(frame, user, need, insight, solution, broad, tuple(messages))


# -- the insight of a problem statement ---------------------------------------------------

# «нужно / надо / следует / стоит … сделать, внедрить, открыть»: what to build, not a reason.
# (A need of the user, «им нужно успеть до обеда», names no act of building.)
_BUILD = (
    r"(?:созда|сдела|разработа|внедр|запуст|установ|постав|откр|ввес|ввод|купи|закуп|наня|"
    r"постро|организова|выпуст|повес|размест|добав|оборудова|перенес|перенос|объедин|"
    r"перевес|перевод|убра|упрост|автоматизир|цифровиз|модерниз|обучи|нанять|расширить|"
    r"увеличить|сократить число|ускорить)\w*"
)
_PRESCRIPTION = re.compile(
    r"^(?:(?:нам|мы|ведомству|ведомство|министерству|министерство|мфц|поликлинике|"
    r"поликлиника|государству|государство|руководству|руководство)\s+)?"
    r"(?:нужн\w*|надо|следует|необходимо|стоит|требуется|пора|должн\w*|"
    r"(?:было бы |будет )?(?:лучше|удобнее|правильнее|проще)(?: всего)?(?: бы)?)"
    r"\s+(?:бы\s+)?(?:\w+\s+)?" + _BUILD
)
# A missing thing named as the cause: «нет онлайн-записи», «не хватает терминалов».
_MISSING_SOLUTION = re.compile(
    r"\b(?:нет|не хватает|отсутству\w*|не существует|не сделали|не ввели|не внедрили)\s+"
    r"(?:\w+\s+){0,2}?(?:приложени|сайт|портал|терминал|чат-?бот|бот\b|онлайн|электронн|"
    r"мобильн|киоск|табло|единой касс|единого окн|окна|кабинет\w* на|указател|стенд|памятк|"
    r"программ|платформ|систем\w* записи|записи через)"
)


def insight_is_solution(text: str) -> bool:
    """Is the «потому что…» part of a problem statement a solution rather than a reason?

    An insight explains *why* the need matters (what was learned in the interviews); «нужно
    сделать онлайн-запись», «надо открыть единую кассу», «нет мобильного приложения» or
    «внедрим электронную очередь» say what to build. The check teaches and never grades.
    """
    if not isinstance(text, str) or not re.search(r"[^\W\d_]", text):
        return False
    t = _norm(text)
    t = re.sub(r"^(?:потому,? что|так как|поскольку|ведь|т\.\s?к\.)\s+", "", t)
    return bool(
        _PRESCRIPTION.search(t)
        or _MISSING_SOLUTION.search(t)
        or _SOLUTION.match(t)
        or re.match(_BUILD + r"\s", t)
    )
