# acodesk — English strings. Every key here must also be in ru.ftl (a test checks).

## Shell
tab-worklist = Worklist
tab-patients = Patients
tab-readmissions = Readmissions
tab-budget = Budget
tab-progress = Progress
header-as-of = as of { $date }
too-small = Window too small: enlarge the terminal
loading = Loading…
help-title = Keys
help-tab-jumps = go to tab 1–5
help-form-title = Call form
help-form-tab = field: outcome, date, note
help-form-enter = save the call
help-form-newline = new line (also ctrl-j)
help-form-esc = cancel without saving
help-keymap-file = Change keys in keymap.toml in the config folder (see README).

## Actions (footer and help)
action-quit = quit
action-back = back
action-help = help
action-next-tab = next tab
action-prev-tab = previous tab
action-down = down
action-up = up
action-page-down = page down
action-page-up = page up
action-home = first
action-end = last
action-search = search
action-open = open card
action-log-call = log call
action-filter = filter
action-refresh = refresh

## Counts
patients-count = { $count ->
    [one] { $count } patient
   *[other] { $count } patients
}
age-years = { $count ->
    [one] { $count } year
   *[other] { $count } years
}
page-n = page { $page }

## Worklist
priority-urgent = urgent
priority-high = high
priority-normal = normal
filter = filter
filter-all = everyone
filter-mine = my patients
filter-has-phone = with a phone
worklist-empty = Nobody to call today: every follow-up is done.
search-no-match = No patient matches the search.
search-hint = type / to search by name, phone or policy number
lost-title = { $count ->
    [one] No visit in 12 months: { $count } patient (a separate list)
   *[other] No visit in 12 months: { $count } patients (a separate list)
}
never = never
no-phone = no phone
reason-short-post_discharge = discharged
reason-short-missed_visit = missed visit
reason-short-hba1c_overdue = HbA1c due
reason-short-poor_control = HbA1c ≥ 9
reason-short-bp_urgent = BP ≥ 180/110
reason-short-call_back = call back
reason-short-readmission_risk = readmission risk
reason-short-unreachable = unreachable
col-patient = Patient
col-age = Age
col-phone = Phone
col-reasons = Why
col-overdue = Late
col-nurse = Nurse
col-site = Site
col-born = Born
col-status = Status
col-id = Id
wl-col-priority = priority
wl-col-patient = patient
wl-col-phone = phone
wl-col-reasons = reasons
wl-col-days_overdue = days overdue
wl-col-due = due
wl-col-nurse = nurse
wl-col-site = site
wl-col-id = id

## Patient card
status-active = active
status-moved = moved away
status-dead = died
born = born
policy = OMS policy
snils = SNILS
hba1c = HbA1c
bp = BP
on-list-because = On the worklist because
unreachable-advice = Three unanswered calls in a row: consider a home visit or a letter.
section-diagnoses = Diagnoses
section-encounters = Encounters
section-appointments = Appointments
section-calls = Calls
no-calls = No calls logged yet.
planned = planned
superseded = corrected later
class-inpatient = inpatient stay
class-emergency = emergency visit
class-outpatient = outpatient visit
class-home = home visit
class-virtual = remote consultation

## Call form
form-title = Log a call
form-outcome = Outcome (press a letter)
form-date = Date
form-date-none = Date (not needed)
form-note = Note
form-hint = Enter save · Tab next field · Esc cancel
form-saving = Saving…
form-error-no-outcome = Choose an outcome first: press its letter.
form-error-date = The date is not valid: write it as 25.12.2026 or 2026-12-25.
form-error-date-required = This outcome needs a date.
form-error-date-past = The date is in the past: choose today or later.
outcome-agreed_visit = reached, agreed to visit
outcome-call_back = reached, call back later
outcome-refused = reached, refused
outcome-no_answer = no answer
outcome-invalid_number = invalid or wrong number
outcome-already_visited = already visited
outcome-moved = moved or transferred
outcome-died = died
status-call-saved = Call saved: { $name }
status-no-patient = That patient is no longer in the register.

## Readmissions
readm-rate = 30-day readmission rate
readm-target = target ≤
readm-open = open windows
readm-by-month = Rate by month of discharge, %
readm-by-hospital = By hospital
readm-no-open = No discharge in the last 30 days is waiting for follow-up.
readm-open-title = Open 30-day windows: act before they close
readm-discharged = Discharged
readm-days-left = Days left
readm-readmitted = readmitted
readm-col-month = month
readm-col-index_stays = index stays
readm-col-readmissions = readmissions
readm-col-rate = rate

## Budget
budget-gauge = Spend against budget, year to date
budget-benchmark = Benchmark for the year
per-person-year = per person-year
budget-to-date = Budget to date
spend-to-date = Spend to date
budget-projected-spend = Projected spend at year end
budget-projected-savings = Projected savings
budget-projected-earned = Projected shared savings
budget-quality-gate = Quality gate
gate-met = met
gate-not-met = not met
budget-assigned = { $count ->
    [one] { $count } assigned patient
   *[other] { $count } assigned patients
}
budget-chart = Cumulative spend (thousands) against the budget line
budget-line = budget
spend-line = spend
budget-breakdown = Year to date: by category, by organization
category-inpatient = inpatient
category-outpatient = outpatient
category-emergency = emergency
category-drugs = drugs
category-other = other

## Progress
progress-active = { $count ->
    [one] { $count } patient in the register
   *[other] { $count } patients in the register
}
progress-new = new
progress-deaths = died
progress-moves = moved
progress-total = Total
progress-by-site = Sites compared (the weakest in each column highlighted; ↑ higher is better, ↓ lower is better)
progress-col-active = Active
unassigned = not assigned
ind-hba1c-tested-short = HbA1c 6m
ind-poor-control-short = A1c>9
ind-controlled-short = A1c<7
ind-bp-controlled-short = BP<140
ind-missed-visit-short = No vis 3m
ind-lost-short = No vis 12m

## Import
import-col-table = table
import-col-inserted = inserted
import-col-updated = updated
import-col-unchanged = unchanged
import-col-rejected = rejected
import-enrolled = { $count ->
    [one] { $count } patient enrolled in the diabetes programme
   *[other] { $count } patients enrolled in the diabetes programme
}

## Report
report-title = Pilot progress report
report-period = Indicators for { $from } – { $to }
report-generated = Figures as of { $as_of } · report generated { $date }
report-key-figures = Key figures
report-in-period = { $from } – { $to }
report-on-date = on { $date }
report-active = Enrolled, under follow-up
report-new = New enrolments
report-deaths = Deaths
report-moves = Moved away
report-readm-rate = 30-day readmission rate
report-readm-detail = { $ratio }: readmitted of index stays; target ≤ { $target }
report-savings-rate = Projected savings rate
report-savings-above-msr = above the minimum savings rate (MSR { $msr })
report-savings-below-msr = below the minimum savings rate (MSR { $msr })
report-earned-detail = projected savings { $savings }
report-gate-detail = HbA1c tested in the period: { $coverage }; required { $required }
report-budget-problem = No budget projection: { $problem }
report-budget = Budget, performance year { $year }
report-budget-contract = Contract: { $name }
report-benchmark-total = Budget for the year (benchmark)
report-msr = Minimum savings rate (MSR)
report-budget-chart = Cumulative spend against the budget, thousands of { $currency }
report-footer = Computed by acodesk from the pilot register with the same definitions as the screens and the command line. Indicators: HbA1c poor control as NQF 0059 (inverse measure), blood pressure control as NQF 0018; readmissions: the 30-day rule over closed windows.
report-sites = Sites compared
report-sites-note = Each cell: share (numerator/denominator). ▼ and bold: the weakest site in the column. ↑ higher is better, ↓ lower is better.
report-ind-hba1c-tested = HbA1c tested in the last 6 months
report-ind-poor-control = HbA1c poor control: latest > 9 % or none in the period (ages 18–75; lower is better)
report-ind-controlled = HbA1c controlled: latest < 7 % (ages 18–75)
report-ind-bp-controlled = Blood pressure controlled: latest < 140/90 mmHg
report-ind-missed-visit = No visit in 3 months (lower is better)
report-ind-lost = No visit in 12 months, lost to follow-up (lower is better)
report-site-charts = Key indicators by site
report-site-charts-note = Each bar: share (numerator/denominator). Hatched with ▼: the weakest site. Dashed line: the pilot as a whole.
report-chart-total = pilot { $value }
report-readm = 30-day readmissions
report-readm-period = Index discharges { $from } – { $to }; every 30-day window closed by { $as_of }.
report-readm-open = discharges with the 30-day window still open: { $count }
report-readm-chart = Readmission rate by month of discharge (dashed: target ≤ { $target }; hatched: above target)
report-col-month = Month
report-nurses = Nurses: workload and calls
report-nurses-note = Active: enrolled patients under follow-up. Worklist: patients due for action on { $date }. Calls to the nurse's patients { $from } – { $to } (a correction replaces the call it corrects); reached: spoke to the patient or the family; not reached: no answer or a wrong number.
report-col-worklist = Worklist
report-col-calls = Calls
report-col-reached = Reached
report-col-agreed = Agreed to visit
report-col-not-reached = Not reached
report-col-member-months = Member-months
report-col-budget = Budget
report-col-paid = Paid
report-col-cum-budget = Budget, cumulative
report-col-cum-paid = Paid, cumulative

## Actions added with the worklist filters, assignment, corrections and the what-if
action-filter-site = site filter
action-filter-nurse = nurse filter
action-filter-reason = reason filter
action-assign = assign to a nurse
action-correct-call = correct last call
action-toggle-view = open windows / readmitted
action-increase = what-if +5%
action-decrease = what-if −5%
action-reset-what-if = what-if off
filter-site = site
filter-nurse = nurse
filter-reason = reason
status-managers-assign = Only managers assign patients (set role = "manager" in config.toml).
status-correct-from-card = Open the patient's card (Enter) to correct a call.
status-assigned = { $count ->
    [one] { $count } patient assigned to { $nurse }
   *[other] { $count } patients assigned to { $nurse }
}
picker-title = Assign to a nurse
picker-hint-one = ↑↓ choose · Enter assign this patient · Esc cancel
picker-hint-site = assign every unassigned patient of { $site }
readm-pairs-title = Readmitted after discharge: the index stay and the readmission
readm-index = Index stay
readm-readmission = Readmission
readm-days-between = Days
readm-no-pairs = No readmission in the period.
budget-what-if = What-if
budget-what-if-none = none (actual figures): ↑↓ choose a category, + / − change it by 5%
correction-of = correction
audit-col-at = time (UTC)
audit-col-user = user
audit-col-device = device
audit-col-action = action
audit-col-patient = patient
audit-col-subject = subject
audit-col-detail = detail
backup-written = { $patients ->
    [one] Backup written to { $path }: { $patients } patient, { $bytes } bytes, readable by you only
   *[other] Backup written to { $path }: { $patients } patients, { $bytes } bytes, readable by you only
}
restore-done = { $path } now holds the backup; the register it replaced is kept as { $kept }
restore-done-new = { $path } now holds the backup

## Progress: call cascade, trends, workload, patients behind a figure
action-sort-next = sort by the next column
action-sort-prev = sort by the previous column
action-sort-reverse = reverse the sort
action-filter-month = month filter
ind-active-short = Active
ind-worklist-short = Worklist
ind-calls-short = Calls
ind-readmitted-short = Readm30
ind-overdue-short = Overdue
ind-contactable-short = Phone
ind-called-short = Called
ind-reached-short = Reached
ind-returned-short = Back15d
outcome-short-agreed_visit = Agreed
outcome-short-call_back = CallBack
outcome-short-refused = Refused
outcome-short-no_answer = NoAnswer
outcome-short-invalid_number = BadNo
outcome-short-already_visited = Visited
outcome-short-moved = Moved
outcome-short-died = Died
ind-active-long = Enrolled patients under follow-up at the period's end
ind-worklist-long = Patients on the worklist
ind-calls-long = Calls made in the month
ind-hba1c-tested-long = HbA1c tested in the last 6 months
ind-poor-control-long = HbA1c poor control: latest > 9 % or none in the period, ages 18–75 (lower is better)
ind-controlled-long = HbA1c controlled: latest < 7 %, ages 18–75
ind-bp-controlled-long = Blood pressure controlled: latest < 140/90 mmHg
ind-missed-visit-long = No visit in 3 months (lower is better)
ind-lost-long = No visit in 12 months, lost to follow-up (lower is better)
ind-readmitted-long = Readmitted within 30 days of a discharge, by the patient's own site (lower is better)
ind-overdue-long = On the worklist on the 1st of the month
ind-contactable-long = Overdue on the 1st, with a phone number
ind-called-long = Of those with a phone, called in the month
ind-reached-long = Of those called, reached
ind-returned-long = Of those reached, came to a visit within 15 days of the month's first call
progress-all = all
progress-filters = Site: { $site } · nurse: { $nurse } · month: { $month }
progress-readmitted = 30-day readmissions
progress-savings = projected savings
progress-cascade = Calls in { $month }:
cascade-overdue = overdue on the 1st
cascade-contactable = with a phone
cascade-called = called
cascade-reached = reached
cascade-returned = came within 15 days
progress-by-nurse = Nurses: patients, worklist and calls of the month (by outcome), then the indicators
progress-trends = Each indicator at the end of each of the last 12 months (the rolling year to that day)
progress-trend-selected = ↑↓ choose the indicator · Enter lists the patients behind the latest figure
progress-hint-sort = sort
progress-hint-reverse = reverse
progress-hint-view = sites/nurses/trends
progress-hint-site = site
progress-hint-nurse = nurse
progress-hint-month = month
progress-hint-open = patients
progress-drill-legend = ✓ counted in the figure · the others are in its denominator only
progress-drill-empty = Nobody is behind this figure.
progress-col-hba1c = HbA1c
progress-col-bp = BP
progress-col-last-visit = Last visit
progress-sorted = sorted by { $column }
demo-building = Building the demo register from the sample pilot (first run only)…
demo-building-hint = q to stop
