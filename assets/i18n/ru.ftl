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
