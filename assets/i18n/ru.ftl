# acodesk — русские строки. Каждый ключ должен быть и в en.ftl (это проверяет тест).

## Оболочка
tab-worklist = Обзвон
tab-patients = Пациенты
tab-readmissions = Повторные госпитализации
tab-budget = Бюджет
tab-progress = Показатели
header-as-of = на { $date }
too-small = Окно слишком маленькое: увеличьте терминал
loading = Загрузка…
help-title = Клавиши
help-lace-title = LACE: риск смерти или незапланированной повторной госпитализации за 30 дней (0–19)
help-lace-l = длительность госпитализации, дата выписки − дата поступления в днях: меньше 1 → 0, 1–3 → число дней, 4–6 → 4, 7–13 → 5, 14 и больше → 7
help-lace-a = экстренность: 3, если госпитализация не плановая, 0 — если плановая
help-lace-c = сопутствующие болезни: индекс Чарлсон (веса Charlson 1987 на кодах МКБ-10 Quan 2005) 0–3 как есть, 4 и больше → 5
help-lace-e = обращения в приёмный покой и скорую за 6 месяцев до поступления (кроме приведшего к ней), 0–3 как есть, 4 и больше → 4
help-lace-threshold = Высокий риск (выделены, первыми в списке; рабочий список требует очного визита в течение 7 дней, а не 14): сумма { $threshold } и больше
help-lace-source = van Walraven и соавт., CMAJ 2010;182:551–557 (баллы); порог 10 — тот, что используют последующие проверочные исследования, в статье его нет
help-tab-jumps = перейти на вкладку 1–5
help-form-title = Форма звонка
help-form-tab = поле: результат, дата, примечание
help-form-enter = сохранить звонок
help-form-newline = новая строка (или ctrl-j)
help-form-esc = закрыть без сохранения
help-keymap-file = Клавиши меняются в файле keymap.toml в папке настроек (см. README).

## Действия (подсказки и справка)
action-quit = выход
action-back = назад
action-help = справка
action-next-tab = след. вкладка
action-prev-tab = пред. вкладка
action-down = вниз
action-up = вверх
action-page-down = стр. вниз
action-page-up = стр. вверх
action-home = в начало
action-end = в конец
action-search = поиск
action-open = карточка
action-log-call = звонок
action-filter = фильтр
action-refresh = обновить

## Счёт
patients-count = { $count ->
    [one] { $count } пациент
    [few] { $count } пациента
   *[many] { $count } пациентов
}
age-years = { $count ->
    [one] { $count } год
    [few] { $count } года
   *[many] { $count } лет
}
page-n = стр. { $page }

## Обзвон
priority-urgent = срочно
priority-high = важно
priority-normal = планово
filter = фильтр
filter-all = все
filter-mine = мои пациенты
filter-has-phone = с телефоном
worklist-empty = Сегодня звонить некому: все пациенты на контроле.
search-no-match = Нет пациентов, подходящих под поиск.
search-outside-scope = На этом ноутбуке только пациенты его участков: пациент может быть вне его охвата; центральный реестр может расширить охват (`acodesk sync scope`), и пациент придёт со следующей синхронизацией.
search-hint = нажмите /, чтобы искать по ФИО, телефону или полису
lost-title = { $count ->
    [one] { $count } пациент — { $label }
    [few] { $count } пациента — { $label }
   *[many] { $count } пациентов — { $label }
}
lost-taken-off = { $count ->
    [0] никто из них не снят с обзвона медсестрой
   *[other] из них { $count } сняты с обзвона медсестрой
}
lost-taken-off-mark = снят медсестрой
lost-on-list = { $count ->
    [0] никого из них нет в списке обзвона
    [one] { $count } из них также в списке обзвона
    [few] { $count } из них также в списке обзвона
   *[other] { $count } из них также в списке обзвона
}
never = ни разу
no-phone = нет телефона
reason-short-post_discharge = выписан
reason-short-missed_visit = пропустил приём
reason-short-hba1c_overdue = пора HbA1c
reason-short-poor_control = HbA1c > 9
reason-short-bp_urgent = АД ≥ 180/110
reason-short-call_back = перезвонить
reason-short-readmission_risk = риск повт. госп.
reason-short-bp_not_measured = АД не измерялось
reason-short-after_emergency = после неотложки
reason-short-tcm_visit = визит после выписки
reason-short-bp_uncontrolled = АД не контролируется
high-risk-mark = ▲ высокий риск
reason-short-kidney_check = пора креатинин, СКФ
reason-bp-not-measured-months = АД не измер. { $months } мес.
reason-short-unreachable = недозвон
col-patient = Пациент
col-age = Возр.
col-phone = Телефон
col-reasons = Причина
col-overdue = Проср.
col-nurse = Медсестра
col-site = Поликлиника
col-born = Дата рожд.
col-status = Статус
col-id = Код
wl-col-priority = срочность
wl-col-patient = пациент
wl-col-phone = телефон
wl-col-reasons = причины
wl-col-days_overdue = дней просрочки
wl-col-due = срок
wl-col-nurse = медсестра
wl-col-site = поликлиника
wl-col-id = код

## Карточка пациента
status-active = наблюдается
status-moved = выбыл
status-dead = умер
born = род.
policy = Полис ОМС
snils = СНИЛС
hba1c = HbA1c
bp = АД
on-list-because = В списке обзвона, потому что
unreachable-advice = Три звонка подряд без ответа: предложите патронаж на дому или письмо.
section-diagnoses = Диагнозы
section-encounters = Обращения
section-appointments = Записи на приём
section-calls = Звонки
no-calls = Звонков ещё не было.
planned = плановая
superseded = исправлено позже
class-inpatient = госпитализация
class-emergency = обращение в приёмное отделение
class-outpatient = амбулаторный приём
class-home = посещение на дому
class-virtual = телемедицинская консультация
class-day_hospital = дневной стационар

## Форма звонка
form-title = Звонок
form-outcome = Результат (нажмите букву)
form-date = Дата
form-date-none = Дата (не нужна)
form-note = Примечание
form-hint = Enter сохранить · Tab следующее поле · Esc отмена
form-saving = Сохраняется…
form-error-no-outcome = Сначала выберите результат: нажмите его букву.
form-error-date = Неверная дата: введите как 25.12.2026 или 2026-12-25.
form-error-date-required = Для этого результата нужна дата.
form-error-date-past = Дата в прошлом: выберите сегодня или позже.
# Поле даты (src/tui/date_field.rs), общее для всех дат панели.
date-mask-dmy = дд.мм.гггг
date-mask-ymd = гггг-мм-дд
date-error-incomplete = Дата { $typed } не дописана: наберите все цифры ({ $mask }).
date-error-no-such-date = Такой даты нет: { $typed }. Проверьте день и месяц ({ $mask }).
date-pick = { $ru }/{ $key } +{ $days }
date-hint = +/- день · PgDn/PgUp неделя · через дней: { $picks }
weekday-1 = пн
weekday-2 = вт
weekday-3 = ср
weekday-4 = чт
weekday-5 = пт
weekday-6 = сб
weekday-7 = вс
help-form-date-day = дата: на день позже / раньше
help-form-date-week = дата: на неделю позже / раньше
help-form-date-picks = дата: через 1, 7, 14, 30 дней
card-agreed-visit = договорились по телефону
# Лист обзвона (src/store/views/call_sheet.rs): рабочий список на бумаге.
sheet-heading = Лист обзвона: { $title }, { $date }
sheet-meta = { $count ->
    [one] { $count } пациент · составлен { $written } · результат и заметки — от руки
    [few] { $count } пациента · составлен { $written } · результат и заметки — от руки
   *[other] { $count } пациентов · составлен { $written } · результат и заметки — от руки
}
sheet-col-n = №
sheet-col-patient = Пациент
sheet-col-phones = Телефоны
sheet-col-reason = Почему в списке
sheet-col-due = Срок
sheet-col-result = Результат
sheet-col-notes = Заметки
sheet-col-id = ID
sheet-filter-site = участок
sheet-filter-nurse = медсестра
sheet-filter-reason = причина
sheet-reason-lost = нет визита 12 мес. (последний: { $last })
sheet-empty = В этом списке никого нет.
sheet-written = Лист обзвона записан в { $dir }: { $stem }.html и .csv ({ $count } пац.)
sheet-failed = Лист обзвона не записан: { $error }
sheet-writing = Лист обзвона записывается…
action-call-sheet = лист обзвона (HTML + CSV)
outcome-agreed_visit = дозвонились, записан на приём
outcome-call_back = дозвонились, перезвонить позже
outcome-refused = дозвонились, отказ
outcome-no_answer = не отвечает
outcome-invalid_number = неверный номер
outcome-already_visited = уже был на приёме
outcome-moved = выбыл или сменил МО
outcome-died = умер
status-call-saved = Звонок сохранён: { $name }
status-new-day = Наступил новый день: списки и показатели теперь на { $date }
status-no-patient = Этого пациента больше нет в регистре.

## Повторные госпитализации
readm-rate = Повторные госпитализации за 30 дней (правило CMS)
readm-target = цель ≤
readm-open = открытых окон
readm-by-month = Доля по месяцам выписки, % (первый месяц с { $from })
readm-by-hospital = По стационарам
readm-no-open = За последние 30 дней нет выписок, ожидающих контроля.
readm-open-title = Открытые 30-дневные окна: успейте связаться
readm-discharged = Выписан
readm-days-left = Осталось дн.
readm-readmitted = госпитализирован снова
readm-col-month = месяц
readm-col-index_stays = индексных госпитализаций
readm-col-readmissions = повторных
readm-col-rate = доля

## Бюджет
budget-gauge = Расходы против бюджета с начала года
budget-benchmark = Базовый бюджет на год
per-person-year = на человеко-год
budget-to-date = Бюджет на дату
spend-to-date = Расходы на дату
budget-projected-spend = Прогноз расходов на конец года
budget-projected-savings = Прогноз экономии
budget-projected-earned = Прогноз разделённой экономии
budget-quality-gate = Условие качества
gate-met = выполнено
gate-not-met = не выполнено
budget-assigned = { $count ->
    [one] { $count } прикреплённый пациент
    [few] { $count } прикреплённых пациента
   *[many] { $count } прикреплённых пациентов
}
budget-chart = Расходы нарастающим итогом (тыс.) и линия бюджета
budget-line = бюджет
spend-line = расходы
budget-breakdown = С начала года: по видам помощи и по организациям
category-inpatient = стационар
category-day_hospital = дневной стационар
category-outpatient = амбулаторно
category-emergency = скорая и неотложная
category-drugs = лекарства
category-other = прочее

## Показатели
progress-active = { $count ->
    [one] { $count } пациент в регистре
    [few] { $count } пациента в регистре
   *[many] { $count } пациентов в регистре
}
progress-new = новых
progress-deaths = умерло
progress-moves = выбыло
progress-total = Всего
progress-by-site = Сравнение поликлиник (худшая в каждом столбце выделена; ↑ чем выше, тем лучше, ↓ чем ниже, тем лучше)
progress-col-active = На учёте
unassigned = не прикреплены
ind-hba1c-tested-short = HbA1c 6м
ind-poor-control-short = HbA1c>9
ind-controlled-short = HbA1c<7
ind-bp-controlled-short = АД<140
ind-missed-visit-short = Без виз. 3м
ind-lost-short = Без виз. 12м

## Загрузка данных
import-col-table = таблица
import-col-inserted = добавлено
import-col-updated = обновлено
import-col-unchanged = без изменений
import-col-rejected = отклонено
import-enrolled = { $count ->
    [one] { $count } пациент включён в программу «{ $program }»
    [few] { $count } пациента включены в программу «{ $program }»
   *[many] { $count } пациентов включены в программу «{ $program }»
}

## Report
report-title = Отчёт о ходе пилотного проекта
report-period = Потоки (звонки, включения, смерти, выбытия, выписки) с { $from } по { $to }; показатели на { $to }, каждый за своё окно
report-generated = Данные на { $as_of } · отчёт сформирован { $date }
report-key-figures = Основные показатели
report-in-period = с { $from } по { $to }
report-on-date = на { $date }
report-active = Под наблюдением в программе
report-new = Включены в программу
report-deaths = Умерли
report-moves = Выбыли
report-readm-rate = Повторные госпитализации в течение 30 дней
report-readm-detail = { $ratio }: повторные из индексных госпитализаций; цель ≤ { $target }
report-savings-rate = Прогноз экономии, доля от бюджета
report-savings-above-msr = выше минимального порога экономии (MSR { $msr })
report-savings-below-msr = ниже минимального порога экономии (MSR { $msr })
report-earned-detail = прогноз экономии { $savings }
report-gate-detail = { $label }: { $coverage }; требуется { $required }
report-gate-reported = определяет плательщик
report-budget-problem = Прогноз бюджета не рассчитан: { $problem }
report-budget = Бюджет, отчётный год { $year }
report-budget-contract = Соглашение: { $name }
report-benchmark-total = Бюджет на год (базовый)
report-msr = Минимальный порог экономии (MSR)
report-budget-chart = Расходы и бюджет нарастающим итогом, тыс. { $currency }
report-footer = Рассчитано acodesk по регистру пилотного проекта по тем же правилам, что на экране и в командной строке (см. приложение о методах). Показатели: плохой контроль HbA1c — по CMS122 / Quality ID 001, контроль АД — по CMS165 / Quality ID 236; повторные госпитализации — 30-дневное правило CMS (без стандартизации риска) по закрытым окнам.
report-sites = Сравнение поликлиник
report-sites-note = В ячейке: доля (числитель/знаменатель). ▼ и полужирный шрифт — худшая поликлиника в столбце. ↑ чем выше, тем лучше; ↓ чем ниже, тем лучше.
report-site-charts = Ключевые показатели по поликлиникам
report-site-charts-note = Полоса: доля (числитель/знаменатель). Штриховка и ▼ — худшая поликлиника. Пунктир — пилот в целом.
report-chart-total = пилот { $value }
report-readm = Повторные госпитализации в течение 30 дней
report-readm-period = Индексные выписки с { $from } по { $to }; все 30-дневные окна закрыты к { $as_of }.
report-readm-open = { $count } выписок после { $since } ещё в 30-дневном окне и пока не учтены
report-readm-chart = Доля повторных госпитализаций по месяцам выписки (пунктир — цель ≤ { $target }; штриховка — выше цели)
report-col-month = Месяц
report-nurses = Медсёстры: нагрузка и обзвон
report-nurses-note = Под наблюдением — пациенты, включённые в программу. В обзвоне — пациенты, по которым нужны действия на { $date }. Звонки пациентам медсестры с { $from } по { $to } (исправленный звонок заменяется исправлением); дозвонились — разговор с пациентом или родственниками; не дозвонились — нет ответа или неверный номер.
report-col-worklist = В обзвоне
report-col-calls = Звонков
report-col-reached = Дозвонились (звонки)
report-col-agreed = Согласились прийти
report-col-not-reached = Не дозвонились
report-col-member-months = Человеко-месяцы
report-col-budget = Бюджет
report-col-paid = Оплачено
report-col-cum-budget = Бюджет нарастающим итогом
report-col-cum-paid = Оплачено нарастающим итогом
report-page = Стр.
report-page-of = из
report-cascade = Каскад обзвона, { $month }
report-cascade-note = Пациенты из рабочего списка на { $from } в звонках медсестёр за { $from } – { $to }: каждая доля — от предыдущего этапа (как на вкладке «Прогресс»). Звонки: все звонки месяца; исправление заменяет исправленный звонок.
report-readm-by = Повторные госпитализации по больницам и поликлиникам
report-readm-by-site = Поликлиника (прикрепление пациента)
report-readm-by-note = По больницам: больница, выписавшая пациента после индексной госпитализации. По поликлиникам: поликлиника прикрепления пациента. Итог один и тот же: одно правило, один период.
report-not-recorded = не указана
report-trends = Показатели за последние 12 месяцев
report-col-month-end = Конец месяца
report-trends-readm-note = Повт.30 в динамике: индексные выписки этого месяца с окнами, закрытыми к { $as_of } (окна последнего месяца в основном ещё открыты); в таблицах выше — 12-месячный период правила.
report-spend = Расходы, год действия договора { $year }
report-spend-note = Оплаченные случаи с начала года, полученные к { $as_of }.
report-col-category = Вид помощи
report-spend-covered = В пределах норматива
report-col-person-years = Человеко-лет
report-col-all-categories = Все виды
report-spend-sites-note = Расходы на человеко-год прикрепления по поликлиникам с начала года (показатели использования с вкладки «Бюджет»), все полученные случаи, включая виды помощи вне норматива.
report-sources = Источники данных и их свежесть
report-sources-note = Последняя загрузка каждого файла или папки и строки этой загрузки (по журналу аудита).
report-sources-none = В журнале аудита нет загрузок (реестр заполнен без команды импорта).
report-col-source = Источник
report-col-imported = Последняя загрузка
report-col-by = Кто
report-col-rows-new = Новых строк
report-col-rows-updated = Изменено
report-col-rows-unchanged = Без изменений
report-col-rows-rejected = Отклонено
report-col-feed = Данные
report-col-rows = Строк
report-col-latest = Последняя дата не позже { $as_of }
report-feed-encounters = Визиты и госпитализации (начало)
report-feed-observations = Измерения и анализы
report-feed-claim_lines = Счета (дата услуги)
report-feed-calls = Звонки
report-feed-received = Счета (последнее поступление)
report-sign-off = Подписи
report-sign-name = ФИО
report-sign-position = Должность
report-sign-signature = Подпись
report-sign-date = Дата
report-prepared-by = Подготовил
report-approved-by = Утвердил

## Действия: фильтры обзвона, прикрепление, исправления, сценарий «что если»
action-filter-site = фильтр по поликлинике
action-filter-nurse = фильтр по медсестре
action-filter-reason = фильтр по причине
action-filter-program = программа
program-label = Программа
program-all = все
action-assign = прикрепить к медсестре
action-correct-call = исправить звонок
action-toggle-view = окна / повторные
action-increase = «что если» +5%
action-decrease = «что если» −5%
action-reset-what-if = без «что если»
filter-site = поликлиника
filter-nurse = медсестра
filter-reason = причина
status-managers-assign = Прикреплять пациентов может только руководитель (role = "manager" в config.toml).
status-correct-from-card = Чтобы исправить звонок, откройте карточку пациента (Enter).
status-assigned = { $count ->
    [one] { $count } пациент прикреплён к медсестре: { $nurse }
    [few] { $count } пациента прикреплены к медсестре: { $nurse }
   *[many] { $count } пациентов прикреплены к медсестре: { $nurse }
}
picker-title = Прикрепить к медсестре
picker-hint-one = ↑↓ выбор · Enter прикрепить пациента · Esc отмена
picker-hint-site = прикрепить всех неприкреплённых пациентов: { $site }
readm-pairs-title = Повторно госпитализированы: индексная госпитализация и повторная
readm-index = Индексная госпитализация
readm-readmission = Повторная
readm-index-discharged = Выписан
readm-readmitted-on = Повторно
readm-days-between = Дней
readm-no-pairs = За период повторных госпитализаций нет.
budget-what-if = Что если
budget-what-if-none = нет (фактические данные): ↑↓ выбор вида помощи, + / − изменить на 5%

## Расчёт экономии по шагам и предупреждения прогноза (#19)
budget-problem-benchmark-needed = у договора { $contract } нет базового бюджета, который реестр может рассчитать: задайте [benchmark] per_person_year в договоре или передайте --benchmark-total команде finance
budget-problem-no-baseline = в базовых годах нет счетов, поэтому базового бюджета ещё нет
budget-problem-stale = счета не поступали с { $date } ({ $days } дн., больше { $limit }): поток счетов, возможно, остановился, последние месяцы выглядят дешевле, чем есть
budget-problem-empty-months = месяцы без поступивших счетов: { $months }
budget-problem-msr-band = прогноз экономии ({ $rate }) внутри полосы МПЭ (± { $msr }): результат может быть случайным
budget-problem-quality-reported = выполнение условия качества и балл качества определяет плательщик (в договоре gate = "reported"), а балл не введён: прогноз считает условие невыполненным, экономия не распределяется; введите балл плательщика ключом --quality-score или в договоре как [quality] reported_score
budget-problem-msr-below-table = таблица минимальной доли экономии CMS (42 CFR 425.604(b)) начинается с { $minimum } прикреплённых — меньше у ACO быть не может (42 CFR 425.110); в этом пилоте { $count }: разделённая экономия по этому договору не рассчитывается
budget-msr-fixed = фиксированный { $rate } % (договор)
budget-msr-variable = таблица CMS, 42 CFR 425.604(b), для { $count } прикреплённых
budget-msr-spread = 1,645 × стандартная ошибка расходов на человеко-год: коэффициент вариации { $cv } на { $count } пациентов (односторонние 90 %)
lag-method-measured = измерено по треугольнику запаздывания реестра ({ $months } опорных мес.)
lag-method-contract = коэффициенты завершённости из договора
wf-title = Как считается экономия
wf-baseline-year = Базовый { $year } ({ $months } мес.): { $paid } ÷ { $py } человеко-лет
wf-weighted = Взвешено с весами { $weights }
wf-trended = × тренд { $trend }
wf-discounted = × (1 − скидка { $discount }) = базовый бюджет на человеко-год
wf-benchmark-given = Базовый бюджет на человеко-год ({ $source })
wf-benchmark-source-contract = договор
wf-benchmark-source-given = --benchmark-total
wf-person-years = × человеко-годы
wf-benchmark-total = = базовый бюджет на год
wf-paid = Оплачено на дату
wf-unbilled = + оценка ещё не выставленных счетов
wf-remaining = + прогноз на остаток года
wf-projected = = прогноз расходов
wf-savings = Экономия (бюджет − прогноз расходов)
wf-rate = Доля экономии
wf-msr = Минимальная доля экономии (МПЭ)
wf-sharing = × доля распределения { $rate } × балл качества { $quality }
wf-before-holdback = = до удержания
wf-holdback = − удержание { $rate }
wf-cap = Предел выплаты { $rate } от бюджета
wf-cap-binds = ограничивает
wf-cap-free = не ограничивает
wf-below-msr = ниже МПЭ: экономия не распределяется
wf-what-if = Что если (гипотетически): { $factors }, месяцы { $month }–12
wf-what-if-note = прогноз расходов, экономия и выплата ниже — гипотетические
wf-msr-undefined = МПЭ для менее чем 5 000 прикреплённых не определена: ничего не рассчитывается
wf-earned = = к выплате
wf-month = { $month }: оплачено { $paid }, завершённость { $completion }, + { $unbilled }
wf-month-incomplete = неполный
wf-month-too-early = неполный: дополнен ожидаемыми расходами завершённых месяцев
wf-lag = Запаздывание счетов: { $method }
wf-outside-note = не входит ни в бюджет, ни в расходы
outside-llo = { $category } за счёт ЛЛО, вне бюджета ОМС
outside-other = { $category }: вне базового бюджета, оплачивают другие
wf-funding = (оплачивает { $payer }: с начала года, все виды помощи)
funding-oms = ОМС (фонд)
funding-llo = ЛЛО (льготные лекарства)
funding-unstated = плательщик не указан
use-short-title = На 1 000 человеко-лет: госпитализации / скорая / койко-дни / посещения
use-short-spend = на человеко-год
use-title = Использование помощи на 1 000 человеко-лет и расходы на человеко-год (с начала года)
use-network = вся сеть
use-line = госпитализации { $admissions } · скорая { $emergency } · койко-дни { $bed_days } · посещения { $visits }{ $day_hospital } · { $spend } на человеко-год
use-day-hospital = {" "}· дневной стационар { $stays }
budget-what-if-hypothetical = гипотеза, месяцы { $month }–12
budget-what-if-cap = действует предел выплаты
correction-of = исправление
audit-col-at = время (UTC)
audit-col-user = пользователь
audit-col-device = устройство
audit-col-action = действие
audit-col-patient = пациент
audit-col-subject = объект
audit-col-detail = подробности
backup-written = { $patients ->
    [one] Резервная копия записана в { $path }: { $patients } пациент, { $bytes } байт, доступна только вам
    [few] Резервная копия записана в { $path }: { $patients } пациента, { $bytes } байт, доступна только вам
   *[many] Резервная копия записана в { $path }: { $patients } пациентов, { $bytes } байт, доступна только вам
}
restore-done = В { $path } восстановлена резервная копия; заменённый реестр сохранён как { $kept }
restore-done-new = В { $path } восстановлена резервная копия

## Показатели: каскад обзвона, динамика, нагрузка медсестёр, пациенты за цифрой
action-sort-next = сортировать по следующему столбцу
action-sort-prev = сортировать по предыдущему столбцу
action-sort-reverse = обратный порядок
action-filter-month = фильтр по месяцу
ind-active-short = На учёте
ind-worklist-short = В списке
ind-calls-short = Звонки
ind-readmitted-short = Повт.30
ind-overdue-short = Просроч.
ind-contactable-short = С тел.
ind-called-short = Звонили
ind-reached-short = Дозвон.
ind-returned-short = Пришли
outcome-short-agreed_visit = Запис.
outcome-short-call_back = Перезв.
outcome-short-refused = Отказ
outcome-short-no_answer = Не отв.
outcome-short-invalid_number = Нев.ном.
outcome-short-already_visited = Был
outcome-short-moved = Выбыл
outcome-short-died = Умер
ind-worklist-long = Пациенты в списке на обзвон
ind-calls-long = Звонки за месяц
progress-all = все
progress-filters = Поликлиника: { $site } · медсестра: { $nurse } · месяц: { $month }
progress-readmitted = повторные госпитализации (30 дн.)
progress-savings = прогноз экономии
progress-cascade = Обзвон за { $month }:
cascade-overdue = в списке на 1-е
cascade-contactable = с телефоном
cascade-called = обзвонены
cascade-reached = дозвонились
cascade-returned = пришли за 15 дней
progress-by-nurse = Медсёстры: пациенты, список на обзвон и звонки за месяц (по результату), затем показатели
progress-trends = Каждый показатель на конец каждого из последних 12 месяцев, за своё окно (указано в названии)
progress-legend = Столбцы (каждая доля — числитель/знаменатель, за окно, указанное в названии):
progress-month-readm = Повт.30 в строке месяца: индексные выписки этого месяца с окнами, закрытыми к { $as_of } (окна последнего месяца в основном ещё открыты); в строке итога — 12-месячный период правила.
progress-trend-selected = ↑↓ выбор показателя · Enter — пациенты за последней цифрой
progress-hint-sort = сорт.
progress-hint-reverse = обратно
progress-hint-view = МО/медс./динамика
progress-hint-site = МО
progress-hint-nurse = медсестра
progress-hint-month = месяц
progress-hint-open = пациенты
progress-drill-legend = ✓ входят в показатель · остальные — только в знаменатель
progress-drill-empty = За этой цифрой пациентов нет.
progress-col-hba1c = HbA1c
progress-col-bp = АД
progress-col-last-visit = Посл. виз.
progress-sorted = сортировка: { $column }
demo-building = Создаётся демонстрационный регистр из примера пилота (только при первом запуске)…
demo-building-hint = q — прервать

# errors: import (each sentence follows "FILE:LINE:COLUMN: "; say what is wrong, then what was expected)
import-cannot-read = не удаётся прочитать: { $error }
import-file-empty = файл пуст: ожидалась строка заголовка с названиями столбцов
import-header-empty = строка заголовка пуста: ожидались названия столбцов
import-header-control = в строке заголовка есть управляющие символы: ожидались названия столбцов обычным текстом (может быть, это файл UTF-16 или двоичный файл, а не CSV?)
import-header-duplicate = этот столбец встречается в заголовке дважды: каждый столбец должен быть указан один раз
import-header-missing-column = в заголовке нет столбца «{ $column }»: обязательные столбцы — { $expected }
import-not-utf8 = текст не в кодировке UTF-8, хотя предыдущий текст в ней: весь файл должен быть в одной кодировке — UTF-8 или Windows-1251
import-not-csv = не читается как CSV: { $error }
import-cell-too-long = значение слишком длинное ({ $size } КБ): в одной ячейке допускается не более { $max } КБ (может быть, не закрыта кавычка?)
import-cell-control = содержит управляющий символ { $code }: ожидался печатный текст (может быть, файл повреждён?)
import-row-short = значение отсутствует: строка заканчивается после { $have } из { $want ->
    [one] { $want } поля
   *[other] { $want } полей
} заголовка (может быть, строка обрезана?)
import-row-extra = в строке { $have ->
    [one] { $have } поле
    [few] { $have } поля
   *[other] { $have } полей
}, а в заголовке { $want }: ожидалось по одному значению на столбец (может быть, разделитель внутри значения не взят в кавычки — например, 8,4 в файле с разделителем-запятой?)
import-row-empty = строка пуста: ожидалось значение в каждом столбце (удалите пустые строки или не включайте их в диапазон, который сохраняет Excel)
import-quote-unclosed = кавычка, открытая в строке { $first }, не закрыта и поглотила строки { $first }–{ $last }: ожидалось, что каждое значение в кавычках закрывается в своей строке (закройте кавычку или удалите лишнюю)
import-row-cut = файл обрывается посреди строки (после { $have } из { $want ->
    [one] { $want } поля
   *[other] { $want } полей
} заголовка): ожидался файл целиком (не был ли он скопирован или скачан не полностью?)
import-lfs-pointer = это указатель Git LFS, а не данные: выполните «git lfs pull» в репозитории, откуда он взят (или скачайте настоящий файл), и импортируйте его
import-value-failures-in-file = { $count ->
    [one] в файле { $count } такая строка
    [few] в файле { $count } такие строки
   *[other] в файле { $count } таких строк
}; с --skip-bad-rows остальные будут импортированы, а эти перечислены в файле отказов
import-id-excel-scientific = «{ $value }» — число, которое Excel переписал в экспоненциальной записи, потеряв последние цифры: выгрузите файл заново из исходной системы и открывайте его в Excel только через «Данные → Из текстового/CSV-файла», задав этому столбцу формат «Текст» (при прямом открытии CSV длинные числа превращаются в 2,94028E+15)
import-snils-digits = «{ $value }» — не СНИЛС: ожидалось одиннадцать цифр, например 112-233-445 95 (Excel отбрасывает ведущие нули СНИЛС, сохранённого как число; задайте столбцу формат «Текст» и выгрузите заново)
import-snils-check = «{ $value }» не проходит проверку контрольного числа СНИЛС (по первым девяти цифрам должно быть { $expected }): опечатка или цифры, изменённые Excel; сверьте с источником и выгрузите заново, задав столбцу формат «Текст»
import-value-required = пусто: значение обязательно
import-number-required = пусто: требуется число
import-bad-number = «{ $value }» — не число (ожидалось число вида 8,4 или 8.4)
import-date-required = требуется дата
import-bad-date = «{ $value }» — не дата: ожидалась дата в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД
import-date-two-digit-year = «{ $value }» — год записан двумя цифрами: укажите год полностью, например { $as_2000s } или { $as_1900s }
import-date-excel-serial = «{ $value }» — порядковый номер дня Excel (он означает { $date }), а не дата: перед сохранением задайте столбцу формат «Дата» в Excel
import-date-implausible = «{ $value }» здесь быть не может: ожидалась дата с { $earliest } по { $latest }
import-bad-timestamp = «{ $value }» — не дата и время: ожидалось вида 2024-03-05T14:30:00
import-bad-timestamp-dotted = «{ $value }» — не дата и время: ожидалось вида 05.03.2024 14:30
import-money-required = требуется сумма
import-bad-money = «{ $value }» — не сумма: ожидалась сумма вида 1234,56
import-money-too-large = «{ $value }» — слишком большая сумма
import-money-negative = «{ $value }» — отрицательная сумма: ожидалась сумма не меньше нуля
import-bad-flag = «{ $value }» — не «да» или «нет» (допускаются да/нет, true/false, 1/0)
import-bad-code = «{ $value }» — недопустимое значение: ожидалось одно из { $expected }
import-utf16 = текст в кодировке UTF-16: ожидалась UTF-8 или Windows-1251 (в Excel сохраните как «CSV UTF-8»)
import-unknown-encoding = текст ни в UTF-8, ни в Windows-1251 (байт { $byte } в этой строке не символ ни в одной из них): ожидался файл, сохранённый как «CSV UTF-8» или в Windows-1251
import-not-cp1251 = байт, который не является текстом в Windows-1251
import-before-birth = раньше даты рождения: ожидалась дата после неё
import-discharge-before-admission = раньше начала: дата выписки должна быть не раньше даты поступления
import-duplicate-record = «{ $value }» встречается повторно с другими значениями (впервые в строке { $first }): каждая запись должна быть в файле один раз или повторяться без изменений
import-duplicate-record-with = «{ $value }» ({ $others }) встречается повторно с другими значениями (впервые в строке { $first }): каждая запись должна быть в файле один раз или повторяться без изменений
import-duplicate-record-earlier = «{ $value }» встречается повторно с другими значениями (впервые в одной из строк выше): каждая запись должна быть в файле один раз или повторяться без изменений
import-duplicate-record-with-earlier = «{ $value }» ({ $others }) встречается повторно с другими значениями (впервые в одной из строк выше): каждая запись должна быть в файле один раз или повторяться без изменений
import-duplicate-record-changed-file = эта строка повторяет запись строки { $first } с другими значениями (файл изменился во время загрузки, поэтому запись не названа): каждая запись должна быть в файле один раз или повторяться без изменений
import-duplicate-check-failed = не удалось проверить повторы записей: { $error }
import-stage-indexing = строю индексы
import-stage-enrolling = включаю в программу
import-stage-committing = сохраняю
import-fhir-not-string = не строка: ожидалась { $expected }
import-fhir-expected-date = дата вида 2024-03-05
import-fhir-expected-date-time = дата и время вида 2024-03-05T14:30:00+03:00
import-fhir-bad-partial-date = «{ $value }» — не дата: ожидалась дата вида 1950-07-15, 1950-07 или 1950
import-fhir-number-out-of-range = { $value } — вне допустимого диапазона: ожидалось десятичное число
import-fhir-not-number = { $value } — не число: ожидалось десятичное число
import-fhir-implausible-amount = { $value } — неправдоподобная сумма: ожидалось не более { $max } по абсолютной величине
import-fhir-no-patient-reference = отсутствует: ожидалась ссылка на пациента
import-fhir-no-family-name = отсутствует: ожидалась фамилия пациента
import-fhir-no-birth-date = отсутствует: ожидалась дата рождения вида 1950-07-15
import-fhir-no-onset = отсутствует: ожидалось onsetDateTime, onsetPeriod.start или recordedDate
import-fhir-no-encounter-start = отсутствует: ожидалось время начала обращения
import-fhir-end-before-start = раньше начала: окончание должно быть не раньше начала
import-fhir-no-service-date = отсутствует: ожидалось servicedDate, servicedPeriod или billablePeriod счёта
import-fhir-no-amounts = отсутствует: ожидались суммы по позициям или итог по всему счёту
import-fhir-no-claim-date = отсутствует: ожидался billablePeriod или дата создания счёта
import-fhir-no-effective = отсутствует: ожидалось время измерения
import-fhir-no-id = отсутствует: ожидался id ресурса или запись Bundle с fullUrl
import-fhir-not-resources = { $file } не содержит ресурсов FHIR (журнал или манифест выгрузки) и пропущен
import-fhir-old-version = это FHIR { $version }, а не R4: acodesk читает только FHIR R4; выгрузите заново в R4 (Synthea 2.x и новее пишет R4 при exporter.fhir.export = true; не включайте exporter.fhir_stu3.export и exporter.fhir_dstu2.export)
import-fhir-empty-folder = в папке нет файлов .json или .ndjson: ожидались FHIR Bundle или выгрузка Bulk FHIR
import-fhir-wrong-extension = не .json и не .ndjson: ожидался FHIR Bundle (.json) или выгрузка Bulk FHIR (.ndjson)
import-fhir-no-such-path = не существует: ожидался файл .json или .ndjson либо папка с ними
import-fhir-not-object = не объект JSON: ожидался ресурс FHIR
import-fhir-no-resource-type = нет resourceType: ожидался ресурс FHIR, например {"{"}"resourceType": "Patient", …{"}"}
import-fhir-unknown-patient = «{ $value }» — неизвестный пациент: ожидался ресурс Patient из этого импорта или уже имеющийся в регистре
import-fhir-bad-gender = «{ $value }» — не пол по FHIR: ожидалось male, female, other или unknown
import-fhir-class-codes = IMP, ACUTE, NONAC, EMER, AMB, SS, OBSENC, PRENC, FLD, HH или VR (v3 ActCode) либо слово вроде inpatient, emergency, ambulatory, home, virtual или day_hospital
import-fhir-no-class = отсутствует: ожидалось { import-fhir-class-codes }
import-fhir-bad-class = «{ $value }» — не класс обращения: ожидалось { import-fhir-class-codes }
import-fhir-id-too-long = длиннее { $max } символов: ожидался id ресурса FHIR
import-cannot-list = не удаётся получить список файлов: { $error }
import-fhir-bundle-too-large = больше { $max } МиБ: ожидался Bundle меньшего размера или ресурсы в формате NDJSON
import-fhir-bad-json = некорректный JSON ({ $error }): ожидался FHIR Bundle или ресурс
import-fhir-line-too-long = длиннее { $max } МиБ: ожидался один ресурс в строке
import-fhir-bad-json-line = некорректный JSON (столбец { $column }: { $error }): ожидался один ресурс FHIR в строке
import-file-cannot-be-read = { $file }: не удаётся прочитать
import-synthea-not-folder = { $path } — не папка: ожидалась папка csv выгрузки Synthea
import-synthea-no-patients = в { $path } нет patients.csv: ожидалась папка csv выгрузки Synthea (patients.csv, encounters.csv, …)
import-synthea-missing-column = в заголовке нет столбца «{ $column }»: в файле { $file } Synthea всегда есть { $expected }
import-synthea-other-systems = conditions.csv: { $count ->
    [one] пропущен { $count } диагноз, закодированный
    [few] пропущены { $count } диагноза, закодированные
   *[other] пропущено { $count } диагнозов, закодированных
} не в SNOMED CT и не в МКБ-10
import-synthea-version-1 = в этом encounters.csv есть DATE там, где Synthea 2.0 и новее пишет START и STOP: это выгрузка Synthea 1.x, которую acodesk не читает; ожидалась выгрузка Synthea 2.0 или новее (запустите текущую Synthea с exporter.csv.export = true)
import-synthea-empty-file = { $file } пуст (0 байт) и пропущен; остальная выгрузка импортирована
import-synthea-unknown-organizations = encounters.csv: { $count ->
    [one] { $count } обращение ссылается
    [few] { $count } обращения ссылаются
   *[other] { $count } обращений ссылаются
} на организацию, которой нет в organizations.csv (файла нет или он пуст); они и их счета сохранены с неизвестной организацией
import-synthea-patient-payments = claims_transactions.csv: { $count ->
    [one] { $count } платёж сделан
    [few] { $count } платежа сделаны
   *[other] { $count } платежей сделаны
} пациентами (доплаты, наличные, чеки, карты), а не страховщиком, и не учтены в расходах
import-synthea-unknown-encounters = observations.csv: { $count ->
    [one] { $count } наблюдение ссылается
    [few] { $count } наблюдения ссылаются
   *[other] { $count } наблюдений ссылаются
} на обращение, которого нет в регистре; медорганизация для них не указана
import-starting-transaction = не удалось начать транзакцию импорта
import-committing = не удалось зафиксировать импорт
import-unknown-reference = «{ $value }» не найден: ожидался идентификатор из { $source } или уже имеющийся в регистре
import-register-refused-row = регистр не принял эту строку: { $error }
import-register-refused-resource = регистр не принял этот ресурс: { $error }
import-rejected-written = { $count ->
    [one] { $count } отклонённая строка записана
    [few] { $count } отклонённые строки записаны
   *[other] { $count } отклонённых строк записано
} в { $path }
import-unknown-column = { $file }: столбец «{ $column }» не входит в формат и пропущен
file-creating = не удалось создать { $path }
file-writing = не удалось записать { $path }
import-fhir-no-file = не указан файл: ожидались FHIR Bundle (.json), выгрузки Bulk FHIR (.ndjson) или папки с ними
import-fhir-rejected-written = { $count ->
    [one] { $count } отклонённый ресурс записан
    [few] { $count } отклонённых ресурса записаны
   *[other] { $count } отклонённых ресурсов записано
} в { $path }
import-fhir-skipped-types = пропущены ресурсы типов, которые регистр не хранит: { $list }
import-fhir-unknown-orgs = { $count ->
    [one] { $count } ссылка на медорганизацию, которой нет ни в импорте, ни в регистре, оставлена
    [few] { $count } ссылки на медорганизации, которых нет ни в импорте, ни в регистре, оставлены
   *[other] { $count } ссылок на медорганизации, которых нет ни в импорте, ни в регистре, оставлено
} пустыми (импортируйте Bundle медорганизаций вместе с пациентами, например hospitalInformation*.json из Synthea)
import-fhir-unknown-encounters = { $count ->
    [one] { $count } наблюдение ссылается
    [few] { $count } наблюдения ссылаются
   *[other] { $count } наблюдений ссылаются
} на обращение, которого нет в регистре; медорганизация для них не указана
import-fhir-other-systems = { $count ->
    [one] пропущен { $count } диагноз, закодированный
    [few] пропущены { $count } диагноза, закодированные
   *[other] пропущено { $count } диагнозов, закодированных
} не в SNOMED CT и не в МКБ-10
import-fhir-voided = { $count ->
    [one] пропущен { $count } ресурс, внесённый по ошибке, отменённый или опровергнутый
    [few] пропущены { $count } ресурса, внесённые по ошибке, отменённые или опровергнутые
   *[other] пропущено { $count } ресурсов, внесённых по ошибке, отменённых или опровергнутых
}
import-fhir-claims-replaced = { $count ->
    [one] пропущен { $count } ресурс Claim
    [few] пропущены { $count } ресурса Claim
   *[other] пропущено { $count } ресурсов Claim
}: оплаченную сумму за ту же помощь указывает ExplanationOfBenefit
import-fhir-lines-removed = { $count ->
    [one] удалена { $count } строка счетов из прежних импортов
    [few] удалены { $count } строки счетов из прежних импортов
   *[other] удалено { $count } строк счетов из прежних импортов
}: их заменил ExplanationOfBenefit или более новая версия
file-reading = не удалось прочитать { $path }
import-list-or = или
import-dir-not-folder = { $path } — не папка: ожидалась папка с CSV-файлами acodesk
import-dir-no-files = в { $path } нет ни одного CSV-файла acodesk: ожидались некоторые из { $expected }
import-setting-up = не удалось подготовить импорт
import-enrolling = не удалось включить пациентов в программу
import-updating-worklist = не удалось обновить рабочий список
import-writing-pilot = не удалось записать описание пилота

# security
key-locked = { $path } зашифрован: введите пароль в терминале или передайте его через --passphrase-fd N (или это не реестр acodesk); файл не изменён
key-wrong = { $path }: неверный пароль (или это не реестр acodesk); файл не изменён
key-empty = пароль пустой
key-nul = в пароле есть символ NUL

# errors: store (the register file)
store-newer-schema = { $path } записан более новой версией acodesk (схема { $found }; эта версия знает схемы до { $known }); файл не изменён: установите новую версию acodesk, чтобы открыть его
store-not-a-database = { $path } — не регистр acodesk (не база данных SQLite или файл повреждён); файл не изменён
store-missing = { $path } не существует: создайте его командой `acodesk import csv DIR --db { $path }` или попробуйте `acodesk demo`
store-failed = { $path }: не удалось { $doing }: { $error }
store-doing-creating-file = создать файл
store-doing-opening-file = открыть файл
store-doing-opening-for-writing = открыть файл для записи
store-doing-busy-timeout = задать время ожидания блокировки
store-doing-reading-schema-version = прочитать версию схемы
store-doing-reading-schema = прочитать схему
store-doing-migrating = обновить схему базы данных
store-doing-wal = включить режим WAL
store-doing-synchronous = включить synchronous=FULL
store-doing-foreign-keys = включить проверку внешних ключей
store-doing-page-cache = задать размер кэша страниц
store-doing-mmap = включить чтение через отображение в память
store-doing-opening-backup = открыть резервную копию
restore-unencrypted = { $path } не зашифрован, а реестр зашифрован: после восстановления данные пациентов остались бы незашифрованными; сначала зашифруйте копию (acodesk encrypt --db { $path }), затем восстановите её; ничего не изменено

# errors and messages: command line
cli-warning = предупреждение: { $text }
cli-col-rows = строк
cli-bad-reason = --reason { $value }: такой причины в рабочем списке нет; ожидалась одна из: { $expected }
cli-bad-outcome = --outcome { $value }: такого результата звонка нет; ожидалось { $expected }
cli-assign-needs-target = укажите идентификатор пациента или --site
cli-no-patient = пациента «{ $id }» в регистре нет
cli-no-patient-scoped = пациента «{ $id }» на этом ноутбуке нет: здесь только пациенты его участков, и пациент может быть вне охвата; центральный реестр может расширить охват (`acodesk sync scope`), и пациент придёт со следующей синхронизацией
cli-from-after-to = --from { $from } позже, чем --to { $to }
cli-bad-program = --program { $value }: ожидалось одно из: { $expected }
cli-computing-readmissions = не удалось рассчитать повторные госпитализации
cli-bad-month = --month: ожидался месяц в формате ГГГГ-ММ, получено { $value }
cli-contract-managers-only = менять договор пилота могут только руководители (укажите role = "manager" в config.toml)
cli-contract-unreadable = { $choice } — не готовый договор и не читаемый файл: { $error }
cli-what-if-bad = --what-if { $entry }: ожидается ВИД=МНОЖИТЕЛЬ, вид помощи из { $categories }, множитель вроде 0.95
cli-benchmark-total-bad = --benchmark-total { $value }: ожидается положительная сумма, например 250000000.00
cli-demo-not-demo = { $path } — не демонстрационный регистр, а демо никогда не пишет в рабочий регистр: укажите другой путь в --db
cli-demo-generating = не удалось создать пример пилота
cli-demo-moving = не удалось переместить демонстрационный регистр в { $path }

# errors: configuration
config-cannot-read = не удаётся прочитать { $path }: { $error }
toml-error-at = строка { $line }, столбец { $column }: { $reason }
programme-file-error-at = файл программы { $file }, строка { $line }, столбец { $column }: { $reason }
programme-file-error = файл программы { $file }: { $reason }
config-bad-calendar = config.toml: календарь «{ $value }» неизвестен: ожидалось ru или none
convert-differs = { $path }: преобразованная копия расходится с реестром ({ $what }); реестр не изменён
key-fd-not-text = в дескрипторе { $fd } нет пароля (нужен текст UTF-8 не длиннее 64 КБ, по паролю на строку)
key-fd-unreadable = не удаётся прочитать пароль из дескриптора { $fd }: { $error }
key-prompt = Пароль для { $path }:
key-prompt-again = Неверный пароль. Пароль для { $path }:
key-prompt-new = Новый пароль для { $path }:
key-prompt-repeat = Ещё раз тот же пароль:
key-new-needed = нужен новый пароль: запустите команду в терминале или передайте пароль через --passphrase-fd N (для rekey: текущий пароль в первой строке, новый — во второй)
key-mismatch = пароли не совпадают; ничего не изменено
key-not-encrypted = { $path } не зашифрован (или это не реестр acodesk): менять или снимать нечего
key-already-encrypted = { $path } уже зашифрован (или это не реестр acodesk): чтобы сменить пароль, используйте acodesk rekey
init-exists = { $path } уже существует: init только создаёт новый реестр
init-done = { $path }: создан новый пустой реестр
init-done-encrypted = { $path }: создан новый пустой зашифрованный реестр
encrypt-done = { $path } зашифрован (проверено строк: { $rows }). Незашифрованный файл заменён, но его старые блоки могут оставаться на диске, пока их не перезапишут, а прежние резервные копии остаются незашифрованными
rekey-done = У { $path } новый пароль; старый его больше не открывает (резервные копии, сделанные раньше, открываются старым)
decrypt-done = { $path } больше не зашифрован (проверено строк: { $rows }): его может прочитать любой, у кого есть доступ к диску

# errors: report
report-period-reversed = период начинается ({ $from }) позже, чем заканчивается ({ $to }): --from не может быть позже --to
report-computing = не удалось рассчитать показатели отчёта

# sync
sync-problem-not-bundle = это не пакет синхронизации acodesk
sync-problem-truncated = файл обрезан (записан или скопирован не полностью)
sync-problem-damaged = файл повреждён, изменён или зашифрован для другого устройства: проверка не проходит
sync-problem-other-register = пакет предназначен для другого реестра
sync-problem-unknown-sender = пакет от устройства { $device }, с которым этот реестр не синхронизируется
sync-problem-schema = пакет записан acodesk со схемой реестра { $theirs }, а у этого реестра схема { $ours }: обновите acodesk на обеих сторонах
sync-problem-forbidden = пакет меняет таблицу { $table }, которую отправитель менять не вправе
sync-problem-old-this-device = реестр этого ноутбука старее, чем хаб знает о нём (восстановлен из старой резервной копии или скопирован с другого ноутбука); ничего не применено: на хабе добавьте этот ноутбук заново командой `acodesk sync add-device` и подключите новый файл
sync-problem-old-this-hub = реестр хаба старее, чем ноутбук уже применил из него (восстановлен из старой резервной копии или скопирован); ничего не применено: добавьте каждый ноутбук заново командой `acodesk sync add-device` и подключите новые файлы
sync-problem-old-sender-device = ноутбук, записавший пакет, хранит более старую копию своего реестра, чем присылал раньше (восстановлен из старой резервной копии или скопирован с другого ноутбука); ничего не применено: добавьте этот ноутбук заново командой `acodesk sync add-device` и подключите на нём новый файл
sync-problem-old-sender-hub = хаб, записавший пакет, хранит более старую копию своего реестра, чем присылал раньше (восстановлен из старой резервной копии или скопирован); ничего не применено: на хабе добавьте этот ноутбук заново командой `acodesk sync add-device` и подключите новый файл
sync-join-wrong-passphrase = { $path } не открывается этой парольной фразой (или файл изменён): введите фразу, заданную при `acodesk sync add-device`
sync-no-key = это устройство добавлено до шифрования пакетов и не имеет ключа: на хабе добавьте его заново командой `acodesk sync add-device` и подключите новый файл
sync-seal-error = файл не удалось зашифровать: { $error }
sync-join-prompt-new = Парольная фраза для файла подключения { $path } (передайте её пользователю ноутбука отдельно от файла):
sync-join-prompt = Парольная фраза файла подключения { $path }:
sync-join-passphrase-needed = для файла подключения нужна парольная фраза: запустите команду в терминале или передайте фразу через --join-passphrase-fd N
sync-bad-bundle = { $file } отклонён: { $problem }; реестр не изменён
sync-not-set-up = этот реестр не участвует в синхронизации: на центральном компьютере выполните `acodesk sync init --hub`, на ноутбуке — `acodesk sync join FILE`
sync-already-set-up = этот реестр уже участвует в синхронизации
sync-needs-hub = это делается только в центральном реестре; на ноутбук данные приходят синхронизацией
sync-needs-device = это делается на ноутбуке медсестры, а не в центральном реестре
sync-unknown-device = в центральном реестре нет устройства «{ $device }» (см. `acodesk sync status`)
sync-which-device = у центрального реестра несколько устройств: укажите нужное в --device (id или имя)
sync-unknown-site = в регистре нет участка (организации) «{ $site }»
sync-unknown-nurse = в регистре нет медсестры (сотрудника) «{ $nurse }»
sync-scope-needed = укажите участки устройства в --sites S1,S2 или его медсестру в --nurse ID
sync-scope-set = Охват устройства «{ $device }» изменён: теперь пациентов { $patients }; изменение дойдёт до ноутбука при следующей синхронизации.
sync-exists = { $path } уже существует и не перезаписывается
sync-not-join-file = { $path } — не реестр устройства, созданный командой `acodesk sync add-device`
sync-remote-error = другая сторона ответила: { $error }
sync-link-error = связь с другой стороной оборвалась: { $error }
sync-link-closed = другая сторона закрыла соединение
sync-io-error = { $path }: { $error }
sync-sqlite-error = ошибка реестра: { $error }
sync-needs-via = укажите, что сделать: `acodesk sync --via ssh user@hub` или подкоманду (export, apply, status…)
sync-hub-ready = Этот реестр теперь центральный (устройство { $device }). Добавьте каждый ноутбук: `acodesk sync add-device --name ИМЯ --out ФАЙЛ`.
sync-device-added = Устройство «{ $name }» ({ $device }) добавлено. Установите { $path } на его ноутбук: `acodesk sync join { $path }`; в файле все пациенты — храните и перевозите его как сам ноутбук.
sync-device-added-scoped = Устройство «{ $name }» ({ $device }) добавлено только с пациентами его охвата. Установите { $path } ({ $bytes } байт) на его ноутбук: `acodesk sync join { $path }`; в файле эти пациенты — храните и перевозите его как сам ноутбук.
sync-joined = Реестр этого ноутбука: { $path }; устройство { $device } центрального реестра { $hub }.
sync-exported = { $path }: { $rows ->
    [one] { $rows } изменение
    [few] { $rows } изменения
   *[many] { $rows } изменений
}, { $bytes } байт (номера { $first }–{ $last })
sync-exported-empty = { $path }: нового для отправки нет; пакет несёт только подтверждение полученного
sync-applied = { $file } применён: { $rows ->
    [one] { $rows } изменение
    [few] { $rows } изменения
   *[many] { $rows } изменений
} ({ $patients ->
    [one] { $patients } пациент
    [few] { $patients } пациента
   *[many] { $patients } пациентов
})
sync-already-applied = { $file } уже был применён: ничего не изменилось
sync-exchanged = Синхронизировано: отправлено изменений — { $sent }, получено — { $received } (передано { $bytes_out } байт, принято { $bytes_in } байт)
sync-reconnecting = связь оборвалась ({ $error }); переподключение…
sync-progress = ↑ отправлено { $sent } · ↓ получено { $received }
sync-status-line = Этот реестр: { $role } { $device }; не отправлено изменений: { $unsent }
sync-role-hub = центральный
sync-role-device = устройство
sync-col-device = устройство
sync-col-role = роль
sync-col-name = имя
sync-col-last-sync = последняя синхронизация (UTC)
sync-col-applied = принято от него
sync-col-acked = подтверждено им
sync-header = { $days ->
    [0] синхр. сегодня
    [one] синхр. { $days } день назад
    [few] синхр. { $days } дня назад
   *[many] синхр. { $days } дней назад
} · не отправлено: { $unsent }
sync-header-never = не синхронизирован · не отправлено: { $unsent }
phone-unknown-patient = в реестре нет пациента «{ $patient }»
phone-not-a-number = «{ $value }» — не номер телефона: допустимы цифры, пробелы и + - ( ), от 5 до 15 цифр
phone-not-saved = не удалось сохранить номер: { $error }
store-unknown-nurse = медсестры «{ $id }» в регистре нет (см. staff.csv)
store-unknown-site = учреждения «{ $id }» в регистре нет (см. organizations.csv)
store-call-not-saved = звонок не удалось сохранить: { $error }
store-call-disk-full = диск заполнен: звонок не сохранён (ничего из него не записано); освободите место и сохраните его снова
store-assignment-not-saved = назначение не удалось сохранить: { $error }
phone-saved = { $patient }: номер сохранён, прежний остался в истории изменений
phone-unchanged = { $patient }: номер уже такой, ничего не изменилось
disk-full = диск заполнен: команда прервана, из её изменений ничего не сохранено, реестр { $path } остался таким, каким был до неё; освободите место и повторите команду

measures-col-id = Код
measures-col-label = Показатель
measures-col-window = Окно
measures-col-source = Источник
report-method = Методы: каталог показателей
report-method-note = Каждый показатель отчёта так, как его определяет acodesk; тот же каталог выводит команда acodesk measures.
report-method-col-population = Группа
report-method-col-numerator = Числитель
report-method-col-denominator = Знаменатель
report-method-col-window = Окно
report-method-col-period = Отчётный период
measure-source-own = собственное определение acodesk
report-method-col-source = Источник
# День медсестры без ловушек (#20): подтверждения, дата смерти, возврат статуса.
form-death-date = Дата смерти (пусто — неизвестна)
form-death-date-unknown = дата неизвестна
form-error-death-future = Дата смерти позже сегодняшней: исправьте её или оставьте пустой (неизвестна).
form-confirm-died = Отметить, что { $name } умер(ла) ({ $date })? Пациент уйдёт из всех списков.
form-confirm-moved = Отметить, что { $name } выбыл(а)? Пациент уйдёт из всех списков.
form-confirm-hint = Enter — да · Esc — назад к форме
action-restore-status = вернуть статус (руководитель)
status-restore-from-card = Чтобы вернуть статус, откройте карточку пациента (Enter).
status-managers-restore = Вернуть статус может только руководитель (role = "manager" в config.toml).
status-already-active = Пациент уже наблюдается, ничего не изменилось.
status-restored = Статус «наблюдается» возвращён, изменение записано в историю.
question-title = Вы уверены?
question-quit-unsaved = В форме звонка есть несохранённые данные. Выйти без сохранения?
question-restore-status = Вернуть пациенту { $name } статус «наблюдается»?
question-hint = y (н) — да · любая другая клавиша — нет
form-phones = Телефон
form-why = В списке
form-last-call = Последний звонок
action-edit-phone = изменить телефон
status-phone-from-card = Чтобы изменить номер, откройте карточку пациента (Enter).
phone-form-title = Телефон
phone-form-main = Основной номер
phone-form-second = Второй номер
phone-form-invalid = Это не номер телефона: от 5 до 15 цифр, можно пробелы, +, -, ( ).
phone-form-hint = Enter сохранить (пусто — удалить) · Tab другой номер · Esc отмена
phone-main-short = осн.
phone-second-short = доп.
phone-reported-invalid = сообщили: неверный
phone-form-current = Сейчас: осн. { $main } · доп. { $second }
action-next-patient = след. пациент
action-prev-patient = пред. пациент
card-no-next = Это последний пациент списка.
card-no-prev = Это первый пациент списка.
card-results-title = Последние результаты — цель: HbA1c < { $hba1c } %, АД < { $bp }
card-no-results = нет данных
card-programmes = Программы
card-since = с { $date }
card-bp-trend = Динамика АД, цель ниже { $bp } ({ $program })
card-bp-change = систолическое { $change }
card-bp-trend-none = нет измерений за 12 месяцев
card-earlier-calls = ещё { $count } { $count ->
    [one] звонок
    [few] звонка
   *[many] звонков
  } — в конце карточки
section-earlier-calls = Более ранние звонки
help-more = ↓ PgDn ещё
worklist-empty-filter = С этим фильтром в списке никого: { $filter }. f, s, n, w меняют его; Esc очищает поиск.
action-next-section = раздел
section-first-n = первые { $count }
section-lost-empty = У всех был визит за последние 12 месяцев.
col-last-visit = Посл. визит
reason-short-another_way = связаться иначе
another-way-advice = Отказ или неверный номер, но показатель опасный: свяжитесь иначе (визит на дом, через поликлинику).
cli-bad-section = --section { $value }: такого раздела в рабочем списке нет; ожидался один из: { $expected }
section-name-to_call = Обзвон
section-name-agreed_visit = Придут
section-name-call_back = Перезвонить
section-name-another_way = Связаться иначе
section-name-removed = Сняты
section-name-lost = Без визита 12 мес.
section-note-agreed = визит { $date }
section-note-call-back = звонок { $date }
section-note-another-way = { $outcome }: связаться иначе
section-note-removed = { $outcome } { $date }
action-prev-section = предыдущий раздел
section-tab-to_call = Обзвон
section-tab-another_way = Иначе
section-tab-agreed_visit = Придут
section-tab-call_back = Перезвон
section-tab-removed = Сняты
section-tab-lost = Без визита
section-empty-another_way = Никого не нужно искать другим способом.
section-empty-agreed_visit = Никто не ждёт согласованного визита.
section-empty-call_back = Никому не нужно перезванивать.
section-empty-removed = Никого не сняли с обзвона.
# Отметка о паллиативной помощи или хосписе (#18): общее исключение CMS122 и CMS165, ставит руководитель.
status-managers-palliative = Отметить паллиативную помощь может только руководитель (role = "manager" в config.toml).
palliative-in-future = дата { $date } позже сегодняшней: паллиативная помощь, которая ещё не началась, никого не исключает
palliative-not-saved = не удалось сохранить отметку о паллиативной помощи: { $error }
palliative-set = { $patient }: паллиативная помощь (хоспис) с { $date }; не учитывается в CMS122 и CMS165 (Quality ID 001 и 236) с этой даты; изменение записано в историю
palliative-cleared = { $patient }: отметка о паллиативной помощи снята; пациент снова учитывается в CMS122 и CMS165; изменение записано в историю
palliative-unchanged = { $patient }: отметка о паллиативной помощи уже такая, ничего не изменилось
action-palliative = паллиатив (руководитель)
status-palliative-from-card = Чтобы отметить паллиативную помощь, откройте карточку пациента (Enter).
card-palliative = Паллиативная помощь (хоспис) с { $date }: не учитывается в CMS122 и CMS165 (Quality ID 001 и 236)
palliative-form-title = Паллиативная помощь
palliative-form-date = С какой даты
palliative-form-invalid = Нужна дата не позже сегодняшней (30.11.2026).
palliative-form-hint = Enter далее · Esc отмена
question-palliative-set = Отметить, что { $name } получает паллиативную помощь с { $date }? Пациент выйдет из показателей CMS122 и CMS165.
question-palliative-clear = Снять отметку о паллиативной помощи (с { $date }) у пациента { $name }? Он снова будет учитываться в CMS122 и CMS165.
report-readm-chart-partial = ; первый месяц — только выписки с { $from }
report-readm-partial-month = { $month } (с { $from })

# contracts4: балл качества от плательщика (#19 пункт 3)
wf-quality-score = × балл качества
wf-quality-payer-reported = от плательщика
wf-quality-contract-gate = по условию договора
wf-quality-not-reported = не сообщён
cli-quality-score-bad = --quality-score { $value } — не балл качества: ожидается доля от 0 до 1, например 0,92

# contracts4: ошибки договора, одна фраза там, где её читает пользователь (src/i18n/contract.rs)
contract-error-at = В файле договора { $origin } неверное значение ключа `{ $key }` (строка { $line }, столбец { $column }): { $problem }.
contract-error-key = В файле договора { $origin } неверное значение ключа `{ $key }`: { $problem }.
contract-error-line = В файле договора { $origin } ошибка (строка { $line }, столбец { $column }): { $problem }.
contract-error-file = Файл договора { $origin } нельзя использовать: { $problem }.
contract-error-preset = Готового договора { $id } нет: ожидается один из { $expected }.
contract-origin-register = договор реестра ({ $name })
contract-found-table = таблица
contract-found-list = список
contract-problem-syntax = ошибка записи ({ $reason })
contract-problem-unknown-key = такого ключа здесь нет, ожидается один из: { $expected }
contract-problem-expected-table = ожидается таблица, например `[{ $name }]`
contract-problem-table-required = нужна таблица `[{ $name }]`
contract-problem-required-text = ключ обязателен и не может быть пустым
contract-problem-required = ключ обязателен, например { $example }
contract-problem-required-with-fixed = при `rule = "fixed"` ключ обязателен (например, { $example })
contract-problem-expected-text = ожидается текст в кавычках, указано { $found }
contract-problem-expected-number = ожидается число, указано { $found }
contract-problem-not-a-fraction = ожидается доля от 0 до 1 (0,5 = 50 %), указано { $found }
contract-problem-required-fraction = ключ обязателен (доля, например 0,5)
contract-problem-expected-fractions = ожидается список долей от 0 до 1, например [0.4, 0.6]
contract-problem-expected-fractions-found = ожидается список долей от 0 до 1, например [0.4, 0.6], указано { $found }
contract-problem-expected-amount = ожидается сумма, например "123456.78", указано { $found }
contract-problem-not-positive-amount = ожидается сумма больше нуля
contract-problem-id-characters = допустимы только латинские буквы, цифры и дефисы
contract-problem-currency-code = ожидается трёхбуквенный код валюты, например "RUB" или "USD"
contract-problem-expected-categories = ожидается список категорий счетов из { $expected }, указано { $found }
contract-problem-benchmark-both = укажите либо `per_person_year`, либо `[benchmark.from_baseline]`, но не оба сразу
contract-problem-weights-sum = сумма весов должна быть равна 1, а она равна { $total }
contract-problem-trend-not-positive = ожидается положительный множитель, например 1,04
contract-problem-spend-count = { $count ->
    [one] ожидается { $count } сумма вида "100000.00", по одной на каждый вес
    [few] ожидается { $count } суммы вида "100000.00", по одной на каждый вес
   *[other] ожидается { $count } сумм вида "100000.00", по одной на каждый вес
}
contract-problem-expected-amounts = ожидается список сумм, указано { $found }
contract-problem-only-with-spread = `z` и `floor` задаются только при `rule = "spread"`
contract-problem-only-with-fixed = ставка `rate` задаётся только при `rule = "fixed"`
contract-problem-choice = ожидается одно из значений { $expected }, указано "{ $found }"
contract-problem-min-above-max = `min_rate` не может быть больше `max_rate`
contract-problem-lag-not-positive = коэффициенты завершённости должны быть больше 0
contract-problem-seasonality = ожидается 12 положительных весов, начиная с января
contract-problem-out-of-range = { $found } вне правдоподобного диапазона { $min }–{ $max } (`--force` примет значение намеренно)
contract-problem-lag-above-one = коэффициент завершённости для запаздывания { $lag } равен { $found }, ожидается больше 0 и не больше 1
contract-problem-lag-falls = коэффициент завершённости для запаздывания { $lag }, { $found }, меньше предыдущего, { $previous }: завершённость не может падать с запаздыванием
contract-problem-no-such-preset = такого готового договора нет, ожидается один из { $expected }
# Причины синтаксических ошибок из крейта toml (src/toml_error.rs).
toml-reason-expected = { $reason }, ожидается: { $expected }
toml-reason-unknown = ошибка синтаксиса
toml-reason-carriage-return-must-be-followed-by-newline = за возвратом каретки должен следовать перевод строки
toml-reason-missing-opening-quote = нет открывающей кавычки
toml-reason-missing-closing-quote = нет закрывающей кавычки
toml-reason-missing-comma-between-array-elements = между элементами списка нет запятой
toml-reason-integers-with-a-radix-cannot-be-signed = целое с основанием не может иметь знак
toml-reason-radix-must-be-lowercase = основание числа пишется строчной буквой
toml-reason-missing-assignment-between-key-value-pairs = между парами «ключ — значение» нет знака присваивания
toml-reason-invalid-multi-line-basic-string = неверная многострочная строка
toml-reason-unexpected-leading-zero = лишний ведущий ноль
toml-reason-unclosed-array-table = не закрыт заголовок массива таблиц
toml-reason-missing-key-for-inline-table-element = у элемента встроенной таблицы нет ключа
toml-reason-missing-inline-table-opening = нет открывающей скобки встроенной таблицы
toml-reason-missing-escaped-value = после обратной косой черты ничего нет
toml-reason-missing-array-opening = нет открывающей скобки списка
toml-reason-invalid-unquoted-key = неверный ключ без кавычек
toml-reason-cannot-recurse-further-max-recursion-depth-met = слишком глубокая вложенность
toml-reason-unquoted-keys-cannot-be-empty = ключ без кавычек не может быть пустым
toml-reason-unexpected-sign = лишний знак
toml-reason-unexpected-key-or-value = неожиданный ключ или значение
toml-reason-unexpected-content = неожиданное содержимое
toml-reason-unexpected-content-between-comment-and-newline = неожиданное содержимое между комментарием и концом строки
toml-reason-unexpected-equals-in-array = лишний `=` в списке
toml-reason-unclosed-table = не закрыт заголовок таблицы
toml-reason-unclosed-inline-table = не закрыта встроенная таблица
toml-reason-unclosed-array = не закрыт список
toml-reason-too-few-unicode-value-digits = слишком мало цифр в коде символа
toml-reason-string-values-must-be-quoted = текстовые значения пишутся в кавычках
toml-reason-redundant-numeric-sign = лишний знак числа
toml-reason-redundant-integer-number-prefix = лишний префикс целого числа
toml-reason-missing-value = нет значения
toml-reason-missing-value-for-key = у ключа нет значения
toml-reason-missing-table-open = нет открывающей скобки таблицы
toml-reason-missing-comment-start = нет начала комментария
toml-reason-missing-comma-between-key-value-pairs = между парами «ключ — значение» нет запятой
toml-reason-key-with-no-value = ключ без значения
toml-reason-invalid-value = неверное значение
toml-reason-invalid-key-value-pair = неверная пара «ключ — значение»
toml-reason-invalid-inline-table-element = неверный элемент встроенной таблицы
toml-reason-invalid-comment-character = недопустимый символ в комментарии
toml-reason-extra-comma-in-inline-table = лишняя запятая во встроенной таблице
toml-reason-extra-comma-in-array = лишняя запятая в списке
toml-reason-extra-assignment-between-key-value-pairs = лишнее присваивание между парами «ключ — значение»
toml-reason-extra-equals = лишний `=`
toml-reason-underscore-may-only-go-between-digits = `_` допустим только между цифрами
toml-reason-invalid-key = неверный ключ
toml-reason-invalid-basic-string = неверная строка
toml-reason-invalid-table = неверная таблица
toml-reason-invalid-string = неверная строка
toml-reason-invalid-octal-number = неверное восьмеричное число
toml-reason-invalid-multi-line-literal-string = неверная многострочная буквальная строка
toml-reason-invalid-mantissa = неверная мантисса
toml-reason-invalid-literal-string = неверная буквальная строка
toml-reason-invalid-integer-number = неверное целое число
toml-reason-invalid-hexadecimal-number = неверное шестнадцатеричное число
toml-reason-invalid-fraction = неверная дробная часть
toml-reason-invalid-float = неверное число с дробной частью
toml-reason-invalid-exponent = неверный порядок числа
toml-reason-invalid-date-time = неверные дата и время
toml-reason-invalid-boolean = неверное логическое значение
toml-reason-invalid-binary-number = неверное двоичное число
toml-reason-duplicate-key = ключ повторяется
toml-reason-recursion-limit = слишком глубокая вложенность
toml-reason-whitespace = пробел
toml-reason-comment = комментарий
toml-reason-newline = конец строки
toml-reason-literal-string = буквальная строка
toml-reason-basic-string = строка
toml-reason-multi-line-literal-string = многострочная буквальная строка
toml-reason-multi-line-basic-string = многострочная строка
toml-reason-token = слово
toml-reason-end-of-input = конец файла
toml-reason-string = строка
toml-reason-boolean = логическое значение
toml-reason-date-time = дата и время
toml-reason-float = число с дробной частью
toml-reason-integer = целое число
toml-reason-hexadecimal = шестнадцатеричное число
toml-reason-octal = восьмеричное число
toml-reason-binary = двоичное число
toml-reason-key = ключ
toml-reason-value = значение
toml-reason-letters = буквы
toml-reason-numbers = числа
toml-reason-digits = цифры
toml-reason-characters = символы
toml-reason-printable-characters = печатные символы
toml-reason-non-double-quote-visible-characters = видимые символы, кроме двойной кавычки
toml-reason-non-single-quote-characters = символы, кроме одинарной кавычки
toml-reason-non-single-quote-visible-characters = видимые символы, кроме одинарной кавычки
toml-reason-unicode-hexadecimal-value = шестнадцатеричный код символа
toml-reason-key-value-separator = знак `=`
toml-reason-key-separator = точка между частями ключа
toml-reason-value-separator = запятая
toml-reason-std-table-open = открывающая скобка таблицы
toml-reason-std-table-close = закрывающая скобка таблицы
toml-reason-inline-table-open = открывающая скобка встроенной таблицы
toml-reason-inline-table-close = закрывающая скобка встроенной таблицы
toml-reason-array-open = открывающая скобка списка
toml-reason-array-close = закрывающая скобка списка
toml-reason-nothing = ничего
toml-reason-etc = и другое
toml-reason-array-table-close = закрывающие скобки массива таблиц
toml-reason-array-table-open = открывающие скобки массива таблиц
toml-reason-unquoted-string = текст без кавычек
toml-reason-could-not-allocate-for-string = не хватило памяти для строки
toml-reason-integer-number-overflowed = целое число слишком велико
toml-reason-floating-point-number-overflowed = число с дробной частью слишком велико
toml-reason-cannot-extend-value-of-type-string-with-a-dotted-key = точечный ключ не может дополнить текст
toml-reason-cannot-extend-value-of-type-integer-with-a-dotted-key = точечный ключ не может дополнить целое число
toml-reason-cannot-extend-value-of-type-float-with-a-dotted-key = точечный ключ не может дополнить число с дробной частью
toml-reason-cannot-extend-value-of-type-boolean-with-a-dotted-key = точечный ключ не может дополнить логическое значение
toml-reason-cannot-extend-value-of-type-datetime-with-a-dotted-key = точечный ключ не может дополнить дату и время
toml-reason-cannot-extend-value-of-type-array-with-a-dotted-key = точечный ключ не может дополнить список
toml-reason-cannot-extend-value-of-type-table-with-a-dotted-key = точечный ключ не может дополнить таблицу
toml-reason-cannot-extend-value-of-type-inline-table-with-a-dotted-key = точечный ключ не может дополнить встроенную таблицу
# The card's other measurements (#22): kidney function, urine albumin, LDL, fasting glucose.
card-labs-title = Почки, липиды, глюкоза натощак (СКФ: CKD-EPI 2021)
lab-creatinine = Креатинин
lab-egfr = СКФ
lab-uacr = Альбумин/креатинин мочи
lab-ldl = ХС ЛНП
lab-fasting-glucose = Глюкоза натощак
unit-umol-l = мкмоль/л
unit-mg-mmol = мг/ммоль
unit-mmol-l = ммоль/л
gfr-category = С{ $stage }
albuminuria-category = А{ $stage }
cli-unknown-program = Неизвестная программа «{ $value }»: известны программы { $known }.
progress-hearts-title = Показатели HEARTS (определения Simple), { $program }, на { $as_of }:
hearts-col-assigned = Закреп.
hearts-col-under_care = Наблюд.
hearts-col-lost_to_follow_up = Потер.
hearts-col-denominator = Знамен.
hearts-col-controlled = Контроль
hearts-col-uncontrolled = Нет контр.
hearts-col-visited_no_bp = Без АД
hearts-col-missed_visit = Пропуск
hearts-col-bs_under_200 = СК<200
hearts-col-bs_200_to_299 = СК200-299
hearts-col-bs_300_plus = СК≥300
hearts-col-visited_no_bs = Без СК
report-hearts-title = Показатели HEARTS: { $program }
report-hearts-note = Так, как их публикует Simple («What we report»), на { $as_of }: закреплённые (включены, живы, не выбыли), под наблюдением (контакт или включение за 12 месяцев), потерянные для наблюдения и по знаменателю (под наблюдением, включены 3+ месяца назад) — состояние по последнему измерению за 3 месяца. Отличия от Simple перечислены в README.
report-hearts-registrations = Регистрация: включены в программу за каждый месяц и всего к его концу
report-col-registered = Включены
report-col-cumulative = Нарастающим итогом
report-hearts-cohorts = Квартальные когорты: включённые в квартале и их состояние за два следующих квартала
report-hearts-cohorts-note = В когорту входят включённые в квартале, кто жив, не выбыл и остаётся в программе на конец двух следующих кварталов; показаны только когорты, чьи два квартала закончились.
report-col-quarter = Квартал
report-col-cohort = Когорта
progress-hint-program = HEARTS
progress-hearts-panel = HEARTS (определения Simple): { $program }, на { $as_of }
progress-hearts-none = В регистре пока нет программ: показатели HEARTS появятся после включения пациентов.
progress-hint-program-next = HEARTS: след. программа

## CSV and workbook headers (report --csv/--xlsx, command CSV): csv-col-<id> is the column id's header;
## a share's columns are "<figure>: csv-part-num/den/pct".
csv-col-above_target = Выше целевого уровня
csv-col-admissions_per_1000 = Госпитализации на 1000 человеко-лет
csv-col-agreed_visit = Записаны на приём
csv-col-all_categories = Все категории, на человеко-год
csv-col-amount = Сумма
csv-col-bed_days_per_1000 = Койко-дни на 1000 человеко-лет
csv-col-budget = Бюджет
csv-col-budget_cumulative = Бюджет нарастающим итогом
csv-col-calls = Звонки
csv-col-category = Категория
csv-col-counted_from = Выписки учтены с
csv-col-currency = Валюта
csv-col-day_hospital_stays_per_1000 = Случаи дневного стационара на 1000 человеко-лет
csv-col-denominator = Знаменатель
csv-col-emergency_visits_per_1000 = Вызовы скорой и неотложной помощи на 1000 человеко-лет
csv-col-feed = Источник данных
csv-col-figure = Показатель
csv-col-hospital = Больница
csv-col-id = Код
csv-col-imported_at = Загружено
csv-col-in_benchmark = Входит в норматив
csv-col-index_stays = Индексные госпитализации
csv-col-label = Название
csv-col-latest = Последняя дата
csv-col-member_months = Человеко-месяцы
csv-col-month = Месяц
csv-col-month_end = Конец месяца
csv-col-no_answer_or_wrong_number = Не ответили или неверный номер
csv-col-note = Примечание
csv-col-numerator = Числитель
csv-col-nurse = Медсестра
csv-col-nurse_id = Код медсестры
csv-col-organization_id = Код организации
csv-col-outpatient_visits_per_1000 = Амбулаторные визиты на 1000 человеко-лет
csv-col-paid = Оплачено
csv-col-paid_cumulative = Оплачено нарастающим итогом
csv-col-pct = %
csv-col-person_years = Человеко-годы
csv-col-population = Группа
csv-col-rate = Доля (1 = 100 %)
csv-col-rate_pct = Доля, %
csv-col-readmissions = Повторные госпитализации
csv-col-report_period = Отчётный период
csv-col-rows = Строк
csv-col-rows_new = Строк новых
csv-col-rows_rejected = Строк отклонено
csv-col-rows_unchanged = Строк без изменений
csv-col-rows_updated = Строк обновлено
csv-col-site = Учреждение
csv-col-site_id = Код учреждения
csv-col-source = Источник
csv-col-spend_per_person_year = Расходы на человеко-год
csv-col-step = Шаг
csv-col-unit = Единица
csv-col-user = Пользователь
csv-col-value = Значение
csv-col-weakest_in = Худший результат по
csv-col-window = Окно
csv-col-worklist = В списке на обзвон
csv-part-num = числитель
csv-part-den = знаменатель
csv-part-pct = %
csv-col-name = Название
csv-col-savings = Экономия
csv-col-savings_rate = Доля экономии
csv-col-msr = Минимальная доля экономии (MSR)
csv-col-generated = Экономия достигнута
csv-col-final_sharing_rate = Итоговая доля участия
csv-col-earned = Заработано
csv-col-cap_applied = Применён потолок
