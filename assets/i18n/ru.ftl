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
search-hint = нажмите /, чтобы искать по ФИО, телефону или полису
lost-title = { $count ->
    [one] Не было визитов 12 месяцев: { $count } пациент (отдельный список)
    [few] Не было визитов 12 месяцев: { $count } пациента (отдельный список)
   *[many] Не было визитов 12 месяцев: { $count } пациентов (отдельный список)
}
never = ни разу
no-phone = нет телефона
reason-short-post_discharge = выписан
reason-short-missed_visit = пропустил приём
reason-short-hba1c_overdue = пора HbA1c
reason-short-poor_control = HbA1c ≥ 9
reason-short-bp_urgent = АД ≥ 180/110
reason-short-call_back = перезвонить
reason-short-readmission_risk = риск повт. госп.
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
outcome-agreed_visit = дозвонились, записан на приём
outcome-call_back = дозвонились, перезвонить позже
outcome-refused = дозвонились, отказ
outcome-no_answer = не отвечает
outcome-invalid_number = неверный номер
outcome-already_visited = уже был на приёме
outcome-moved = выбыл или сменил МО
outcome-died = умер
status-call-saved = Звонок сохранён: { $name }
status-no-patient = Этого пациента больше нет в регистре.

## Повторные госпитализации
readm-rate = Повторные госпитализации за 30 дней
readm-target = цель ≤
readm-open = открытых окон
readm-by-month = Доля по месяцам выписки, %
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
    [one] { $count } пациент включён в программу «Сахарный диабет»
    [few] { $count } пациента включены в программу «Сахарный диабет»
   *[many] { $count } пациентов включены в программу «Сахарный диабет»
}

## Report
report-title = Отчёт о ходе пилотного проекта
report-period = Показатели за период с { $from } по { $to }
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
report-gate-detail = HbA1c определён за период: { $coverage }; требуется { $required }
report-budget-problem = Прогноз бюджета не рассчитан: { $problem }
report-budget = Бюджет, отчётный год { $year }
report-budget-contract = Соглашение: { $name }
report-benchmark-total = Бюджет на год (базовый)
report-msr = Минимальный порог экономии (MSR)
report-budget-chart = Расходы и бюджет нарастающим итогом, тыс. { $currency }
report-footer = Рассчитано acodesk по регистру пилотного проекта по тем же правилам, что на экране и в командной строке. Показатели: плохой контроль HbA1c — по NQF 0059 (обратный показатель), контроль АД — по NQF 0018; повторные госпитализации — правило 30 дней по закрытым окнам.
report-sites = Сравнение поликлиник
report-sites-note = В ячейке: доля (числитель/знаменатель). ▼ и полужирный шрифт — худшая поликлиника в столбце. ↑ чем выше, тем лучше; ↓ чем ниже, тем лучше.
report-ind-hba1c-tested = HbA1c определён за последние 6 месяцев
report-ind-poor-control = Плохой контроль: последний HbA1c > 9 % или не определялся за период (18–75 лет; чем ниже, тем лучше)
report-ind-controlled = Целевой HbA1c: последний < 7 % (18–75 лет)
report-ind-bp-controlled = АД под контролем: последнее < 140/90 мм рт. ст.
report-ind-missed-visit = Нет визита 3 месяца (чем ниже, тем лучше)
report-ind-lost = Нет визита 12 месяцев, потеряны для наблюдения (чем ниже, тем лучше)
report-site-charts = Ключевые показатели по поликлиникам
report-site-charts-note = Полоса: доля (числитель/знаменатель). Штриховка и ▼ — худшая поликлиника. Пунктир — пилот в целом.
report-chart-total = пилот { $value }
report-readm = Повторные госпитализации в течение 30 дней
report-readm-period = Индексные выписки с { $from } по { $to }; все 30-дневные окна закрыты к { $as_of }.
report-readm-open = выписок с ещё открытым 30-дневным окном: { $count }
report-readm-chart = Доля повторных госпитализаций по месяцам выписки (пунктир — цель ≤ { $target }; штриховка — выше цели)
report-col-month = Месяц
report-nurses = Медсёстры: нагрузка и обзвон
report-nurses-note = Под наблюдением — пациенты, включённые в программу. В обзвоне — пациенты, по которым нужны действия на { $date }. Звонки пациентам медсестры с { $from } по { $to } (исправленный звонок заменяется исправлением); дозвонились — разговор с пациентом или родственниками; не дозвонились — нет ответа или неверный номер.
report-col-worklist = В обзвоне
report-col-calls = Звонков
report-col-reached = Дозвонились
report-col-agreed = Согласились прийти
report-col-not-reached = Не дозвонились
report-col-member-months = Человеко-месяцы
report-col-budget = Бюджет
report-col-paid = Оплачено
report-col-cum-budget = Бюджет нарастающим итогом
report-col-cum-paid = Оплачено нарастающим итогом

## Действия: фильтры обзвона, прикрепление, исправления, сценарий «что если»
action-filter-site = фильтр по поликлинике
action-filter-nurse = фильтр по медсестре
action-filter-reason = фильтр по причине
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
readm-days-between = Дней
readm-no-pairs = За период повторных госпитализаций нет.
budget-what-if = Что если
budget-what-if-none = нет (фактические данные): ↑↓ выбор вида помощи, + / − изменить на 5%
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
ind-active-long = Пациенты на диспансерном учёте на конец периода
ind-worklist-long = Пациенты в списке на обзвон
ind-calls-long = Звонки за месяц
ind-hba1c-tested-long = HbA1c определён за последние 6 месяцев
ind-poor-control-long = Плохой контроль: последний HbA1c > 9 % или нет анализа за период, 18–75 лет (чем ниже, тем лучше)
ind-controlled-long = Целевой HbA1c: последний < 7 %, 18–75 лет
ind-bp-controlled-long = Целевое АД: последнее < 140/90 мм рт. ст.
ind-missed-visit-long = Нет визита 3 месяца (чем ниже, тем лучше)
ind-lost-long = Нет визита 12 месяцев, выпали из наблюдения (чем ниже, тем лучше)
ind-readmitted-long = Повторная госпитализация в течение 30 дней после выписки, по поликлинике прикрепления (чем ниже, тем лучше)
ind-overdue-long = В списке на обзвон на 1-е число месяца
ind-contactable-long = Из них с номером телефона
ind-called-long = Из них обзвонены в этом месяце
ind-reached-long = Из обзвоненных дозвонились
ind-returned-long = Из них пришли на приём в течение 15 дней после первого звонка в месяце
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
progress-trends = Каждый показатель на конец каждого из последних 12 месяцев (за год по этот день)
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
