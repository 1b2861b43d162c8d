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
help-lace-title = LACE: risk of death or unplanned readmission within 30 days (0–19)
help-lace-l = length of stay, discharge date − admission date in days: under 1 → 0, 1–3 → the days, 4–6 → 4, 7–13 → 5, 14 or more → 7
help-lace-a = acuity: 3 when the admission was not planned, 0 when it was
help-lace-c = comorbidity: the Charlson index (Charlson 1987 weights on Quan 2005 ICD-10 codes) 0–3 as is, 4 or more → 5
help-lace-e = emergency visits in the 6 months before the admission (not the one that led to it), 0–3 as is, 4 or more → 4
help-lace-threshold = High risk (highlighted, listed first; the worklist asks for a face-to-face visit within 7 days, not 14): a total of { $threshold } or more
help-lace-source = van Walraven et al., CMAJ 2010;182:551–557 (the points); the cut-off of 10 is the one later validation studies use, not the paper's
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
search-outside-scope = This laptop holds only the patients of its sites: the patient may be outside its scope; the hub can widen it (`acodesk sync scope`), and the patient arrives at the next sync.
search-hint = type / to search by name, phone or policy number
lost-title = { $count ->
    [one] { $count } patient — { $label }
   *[other] { $count } patients — { $label }
}
lost-taken-off = { $count ->
    [0] none of them taken off the list by a nurse
   *[other] of them { $count } taken off the list by a nurse
}
lost-taken-off-mark = taken off by a nurse
lost-on-list = { $count ->
    [0] none of them on the call list
    [one] { $count } of them also on the call list
   *[other] { $count } of them also on the call list
}
never = never
no-phone = no phone
reason-short-post_discharge = discharged
reason-short-missed_visit = missed visit
reason-short-hba1c_overdue = HbA1c due
reason-short-poor_control = HbA1c > 9
reason-short-bp_urgent = BP ≥ 180/110
reason-short-call_back = call back
reason-short-readmission_risk = readmission risk
reason-short-bp_not_measured = BP not measured
reason-short-after_emergency = after ER visit
reason-short-tcm_visit = visit after discharge
reason-short-bp_uncontrolled = BP not controlled
high-risk-mark = ▲ high risk
reason-short-kidney_check = kidney check due
reason-bp-not-measured-months = BP not measured { $months } mo
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
class-day_hospital = day-hospital stay

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
# The date field (src/tui/date_field.rs), used by every date of the dashboard.
date-mask-dmy = dd.mm.yyyy
date-mask-ymd = yyyy-mm-dd
date-error-incomplete = The date { $typed } is not finished: type all its digits ({ $mask }).
date-error-no-such-date = There is no such date as { $typed }: check the day and the month ({ $mask }).
date-pick = { $key } +{ $days }
date-hint = +/- a day · PgDn/PgUp a week · in days: { $picks }
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun
help-form-date-day = date: a day later / earlier
help-form-date-week = date: a week later / earlier
help-form-date-picks = date: in 1, 7, 14, 30 days
card-agreed-visit = agreed on a call
# The call sheet (src/store/views/call_sheet.rs): the worklist taken along on paper.
sheet-heading = Call sheet: { $title }, { $date }
sheet-meta = { $count ->
    [one] { $count } patient · written { $written } · write the result and notes by hand
   *[other] { $count } patients · written { $written } · write the result and notes by hand
}
sheet-col-n = #
sheet-col-patient = Patient
sheet-col-phones = Phones
sheet-col-reason = Why on the list
sheet-col-due = Due
sheet-col-result = Result
sheet-col-notes = Notes
sheet-col-id = ID
sheet-filter-site = site
sheet-filter-nurse = nurse
sheet-filter-reason = reason
sheet-reason-lost = no visit in 12 months (last visit: { $last })
sheet-empty = Nobody on this list.
sheet-written = Call sheet written to { $dir }: { $stem }.html and .csv ({ $count ->
    [one] { $count } patient
   *[other] { $count } patients
})
sheet-failed = The call sheet was not written: { $error }
sheet-writing = Writing the call sheet…
action-call-sheet = call sheet (HTML + CSV)
outcome-agreed_visit = reached, agreed to visit
outcome-call_back = reached, call back later
outcome-refused = reached, refused
outcome-no_answer = no answer
outcome-invalid_number = invalid or wrong number
outcome-already_visited = already visited
outcome-moved = moved or transferred
outcome-died = died
status-call-saved = Call saved: { $name }
status-new-day = A new day: the lists and figures are now for { $date }
status-no-patient = That patient is no longer in the register.

## Readmissions
readm-rate = 30-day readmissions (CMS rule)
readm-target = target ≤
readm-open = open windows
readm-by-month = Rate by month of discharge, % (the first month from { $from })
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
category-day_hospital = day hospital
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
    [one] { $count } patient enrolled in the programme "{ $program }"
   *[other] { $count } patients enrolled in the programme "{ $program }"
}

## Report
report-title = Pilot progress report
report-period = Flows (calls, enrolments, deaths, moves, discharges) for { $from } – { $to }; indicators as of { $to }, each over its own window
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
report-gate-detail = { $label }: { $coverage }; required { $required }
report-gate-reported = decided by the payer
report-budget-problem = No budget projection: { $problem }
report-budget = Budget, performance year { $year }
report-budget-contract = Contract: { $name }
report-benchmark-total = Budget for the year (benchmark)
report-msr = Minimum savings rate (MSR)
report-budget-chart = Cumulative spend against the budget, thousands of { $currency }
report-footer = Computed by acodesk from the pilot register with the same definitions as the screens and the command line (see the method appendix). Indicators: HbA1c poor control as CMS122 / Quality ID 001, blood pressure control as CMS165 / Quality ID 236; readmissions: the CMS hospital-wide 30-day rule (not risk-standardised) over closed windows.
report-sites = Sites compared
report-sites-note = Each cell: share (numerator/denominator). ▼ and bold: the weakest site in the column. ↑ higher is better, ↓ lower is better.
report-site-charts = Key indicators by site
report-site-charts-note = Each bar: share (numerator/denominator). Hatched with ▼: the weakest site. Dashed line: the pilot as a whole.
report-chart-total = pilot { $value }
report-readm = 30-day readmissions
report-readm-period = Index discharges { $from } – { $to }; every 30-day window closed by { $as_of }.
report-readm-open = { $count } discharges since { $since } are still in their 30-day window and not yet counted
report-readm-chart = Readmission rate by month of discharge (dashed: target ≤ { $target }; hatched: above target)
report-col-month = Month
report-nurses = Nurses: workload and calls
report-nurses-note = Active: enrolled patients under follow-up. Worklist: patients due for action on { $date }. Calls to the nurse's patients { $from } – { $to } (a correction replaces the call it corrects); reached: spoke to the patient or the family; not reached: no answer or a wrong number.
report-col-worklist = Worklist
report-col-calls = Calls
report-col-reached = Reached (calls)
report-col-agreed = Agreed to visit
report-col-not-reached = Not reached
report-col-member-months = Member-months
report-col-budget = Budget
report-col-paid = Paid
report-col-cum-budget = Budget, cumulative
report-col-cum-paid = Paid, cumulative
report-page = Page
report-page-of = of
report-cascade = Call cascade, { $month }
report-cascade-note = The patients on the worklist on { $from } followed through the nurses' calls of { $from } – { $to }: each share is of the stage before it (as on the Progress tab). Calls: every call of the month; a correction replaces the call it corrects.
report-readm-by = Readmissions by hospital and by site
report-readm-by-site = Site (the patient's assigned polyclinic)
report-readm-by-note = By hospital: the hospital that discharged the index episode. By site: the polyclinic the patient is assigned to. Both add up to the same total: one rule, one period.
report-not-recorded = not recorded
report-trends = Indicators over the last 12 months
report-col-month-end = Month's end
report-trends-readm-note = Readm30 in the trend: the index discharges of that month, windows closed by { $as_of } (the last month's windows are mostly still open); in the tables above it is the rule's 12-month period.
report-spend = Spend, performance year { $year }
report-spend-note = Claims paid for services from the year's start, received by { $as_of }.
report-col-category = Category
report-spend-covered = Covered by the benchmark
report-col-person-years = Person-years
report-col-all-categories = All categories
report-spend-sites-note = Spend per person-year of enrolment by the patients' assigned site, year to date (the Budget tab's utilisation figures), all claims received, including categories outside the benchmark.
report-sources = Data sources and freshness
report-sources-note = The latest import of each file or folder, with the rows of that import (from the audit trail).
report-sources-none = No import is on record in the audit trail (the register was loaded without the import command).
report-col-source = Source
report-col-imported = Last import
report-col-by = By
report-col-rows-new = New rows
report-col-rows-updated = Updated
report-col-rows-unchanged = Unchanged
report-col-rows-rejected = Rejected
report-col-feed = Data
report-col-rows = Rows
report-col-latest = Latest date on or before { $as_of }
report-feed-encounters = Visits and stays (start)
report-feed-observations = Measurements
report-feed-claim_lines = Claims (service date)
report-feed-calls = Calls
report-feed-received = Claims (last received)
report-sign-off = Sign-off
report-sign-name = Name
report-sign-position = Position
report-sign-signature = Signature
report-sign-date = Date
report-prepared-by = Prepared by
report-approved-by = Approved by

## Actions added with the worklist filters, assignment, corrections and the what-if
action-filter-site = site filter
action-filter-nurse = nurse filter
action-filter-reason = reason filter
action-filter-program = programme
program-label = Programme
program-all = all
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
readm-index-discharged = Discharged
readm-readmitted-on = Readmitted
readm-days-between = Days
readm-no-pairs = No readmission in the period.
budget-what-if = What-if
budget-what-if-none = none (actual figures): ↑↓ choose a category, + / − change it by 5%

## The savings waterfall and the projection's flags (#19)
budget-problem-benchmark-needed = the contract { $contract } has no benchmark the register can compute: set [benchmark] per_person_year in the contract, or pass --benchmark-total to finance
budget-problem-no-baseline = the baseline years have no claims, so there is no benchmark yet
budget-problem-stale = no claims received since { $date } ({ $days } days, more than { $limit }): the claims feed may have stopped, recent months look cheaper than they are
budget-problem-empty-months = months with no claims received: { $months }
budget-problem-msr-band = projected savings ({ $rate }) are within the MSR band (± { $msr }): the result may be chance
budget-problem-quality-reported = the quality gate and score are the payer's determination (the contract's gate = "reported") and no score was entered: the projection counts the gate as not met, so nothing is shared; enter the payer's score with --quality-score or as [quality] reported_score in the contract
budget-problem-msr-below-table = the CMS minimum savings rate table (42 CFR 425.604(b)) starts at { $minimum } assigned beneficiaries, the fewest an ACO may have (42 CFR 425.110); this pilot has { $count }: no shared savings are computed under this contract
budget-msr-fixed = fixed { $rate } % (contract)
budget-msr-variable = CMS table, 42 CFR 425.604(b), for { $count } assigned
budget-msr-spread = 1.645 × standard error of spend per person-year: CV { $cv } over { $count } patients (one-sided 90 %)
lag-method-measured = measured from the register's lag triangle ({ $months } reference months)
lag-method-contract = the contract's completion factors
wf-title = How the savings are computed
wf-baseline-year = Baseline { $year } ({ $months } mo.): { $paid } ÷ { $py } person-years
wf-weighted = Weighted by { $weights }
wf-trended = × trend { $trend }
wf-discounted = × (1 − discount { $discount }) = benchmark per person-year
wf-benchmark-given = Benchmark per person-year ({ $source })
wf-benchmark-source-contract = the contract
wf-benchmark-source-given = --benchmark-total
wf-person-years = × person-years
wf-benchmark-total = = benchmark total
wf-paid = Paid to date
wf-unbilled = + estimated not yet billed
wf-remaining = + projected for the rest of the year
wf-projected = = projected spend
wf-savings = Savings (benchmark − projected spend)
wf-rate = Savings rate
wf-msr = Minimum savings rate
wf-sharing = × sharing rate { $rate } × quality score { $quality }
wf-before-holdback = = before the holdback
wf-holdback = − holdback { $rate }
wf-cap = Payment cap { $rate } of the benchmark
wf-cap-binds = binds
wf-cap-free = does not bind
wf-below-msr = below the MSR: nothing is shared
wf-what-if = What-if (hypothetical): { $factors }, months { $month }–12
wf-what-if-note = the projected spend, savings and earnings below are hypothetical
wf-msr-undefined = no MSR below 5,000 assigned: nothing is computed
wf-earned = = earned
wf-month = { $month }: paid { $paid }, completion { $completion }, + { $unbilled }
wf-month-incomplete = incomplete
wf-month-too-early = incomplete: topped up with the expected spend of the complete months
wf-lag = Claims lag: { $method }
wf-outside-note = counts neither in the benchmark nor in the spend
outside-llo = { $category } paid by LLO, outside OMS benchmark
outside-other = { $category }: outside the benchmark, paid by others
wf-funding = (paid by { $payer }: year to date, every category)
funding-oms = OMS (the Fund)
funding-llo = LLO (subsidised drugs)
funding-unstated = a payer not named
use-short-title = Per 1,000 person-years: admissions / emergency / bed-days / visits
use-short-spend = per person-year
use-title = Utilisation per 1,000 person-years, spend per person-year (year to date)
use-network = the network
use-line = admissions { $admissions } · emergency { $emergency } · bed-days { $bed_days } · visits { $visits }{ $day_hospital } · { $spend } per person-year
use-day-hospital = {" "}· day-hospital stays { $stays }
budget-what-if-hypothetical = hypothetical, months { $month }–12
budget-what-if-cap = the payment cap binds
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
ind-worklist-long = Patients on the worklist
ind-calls-long = Calls made in the month
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
progress-trends = Each indicator at the end of each of the last 12 months, over its own window (in its label)
progress-legend = Columns (each share: numerator/denominator, over the window in its label):
progress-month-readm = Readm30 in a month's row: the index discharges of that month, windows closed by { $as_of } (the last month's mostly still open); in the total row: the rule's 12-month period.
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

# errors: import (each sentence follows "FILE:LINE:COLUMN: "; say what is wrong, then what was expected)
import-cannot-read = cannot be read: { $error }
import-file-empty = is empty: expected a header line naming the columns
import-header-empty = has an empty header line: expected the column names
import-header-control = has control characters in the header line: expected column names as plain text (is this a UTF-16 or binary file rather than CSV?)
import-header-duplicate = this column appears twice in the header: expected each column once
import-header-missing-column = the header has no "{ $column }" column: expected it among { $expected }
import-not-utf8 = is not valid UTF-8 although the text before it is: expected the whole file in one encoding, UTF-8 or Windows-1251
import-not-csv = is not readable CSV: { $error }
import-cell-too-long = is too long ({ $size } KB): expected at most { $max } KB in one cell (is a quote left open?)
import-cell-control = contains the control character { $code }: expected printable text (is the file damaged?)
import-row-short = is missing: the row ends after { $have } of the header's { $want } fields (is the line cut short?)
import-row-extra = has { $have } fields where the header has { $want }: expected one value per column (is a delimiter inside a value, like 8,4 in a comma-separated file, unquoted?)
import-row-empty = the row is empty: expected a value in each column (delete the empty rows, or leave them out of the range Excel saves)
import-quote-unclosed = a quote opened on line { $first } is never closed; it swallowed lines { $first }–{ $last }: expected every quoted value closed on its own row (close the quote, or remove the stray one)
import-row-cut = the file ends in the middle of a row (after { $have } of the header's { $want } fields): expected the whole file (was it copied or downloaded only in part?)
import-lfs-pointer = is a Git LFS pointer, not the data: run "git lfs pull" in the repository it came from (or download the real file) and import that
import-value-failures-in-file = { $count ->
    [one] this is the file's only such row
   *[other] the file holds { $count } such rows
}; --skip-bad-rows imports the others and lists these in a rejects file
import-id-excel-scientific = "{ $value }" is a number Excel rewrote in scientific notation, which lost its last digits: export the file again from the source system and open it in Excel only through Data → From Text/CSV with this column set to Text (opening the CSV directly turns long numbers into 2,94028E+15)
import-snils-digits = "{ $value }" is not a SNILS: expected eleven digits like 112-233-445 95 (Excel drops the leading zeros of a SNILS saved as a number; format the column as Text and export again)
import-snils-check = "{ $value }" fails the SNILS check number (its first nine digits give { $expected }): a typing mistake, or digits Excel changed; check it against the source and export again with the column formatted as Text
import-value-required = is empty: a value is required
import-number-required = is empty: a number is required
import-bad-number = "{ $value }" is not a number like 8.4
import-date-required = a date is required
import-bad-date = "{ $value }" is not a date like 2024-03-05 or 05.03.2024
import-date-two-digit-year = "{ $value }" has a two-digit year: write the year in full, like { $as_2000s } or { $as_1900s }
import-date-excel-serial = "{ $value }" is an Excel serial day number (it means { $date }), not a date: format the column as a date in Excel before saving
import-date-implausible = "{ $value }" cannot be right here: expected a date from { $earliest } to { $latest }
import-bad-timestamp = "{ $value }" is not a timestamp like 2024-03-05T14:30:00
import-bad-timestamp-dotted = "{ $value }" is not a timestamp like 05.03.2024 14:30
import-money-required = an amount is required
import-bad-money = "{ $value }" is not an amount like 1234.56
import-money-too-large = "{ $value }" is too large an amount
import-money-negative = "{ $value }" is negative: expected an amount of zero or more
import-bad-flag = "{ $value }" is not true or false
import-bad-code = "{ $value }" is not one of the accepted values: expected { $expected }
import-utf16 = is UTF-16 text: expected UTF-8 or Windows-1251 (in Excel, save as "CSV UTF-8")
import-unknown-encoding = is neither UTF-8 nor Windows-1251 text (byte { $byte } on this line is a character in neither): expected a file saved as "CSV UTF-8" or in Windows-1251
import-not-cp1251 = has a byte that is not Windows-1251 text
import-before-birth = is before the birth date: expected a date after it
import-discharge-before-admission = is before the start: expected the discharge on or after the admission
import-duplicate-record = "{ $value }" appears again with different values (first on line { $first }): expected each record once in a file, or repeated identically
import-duplicate-record-with = "{ $value }" (with { $others }) appears again with different values (first on line { $first }): expected each record once in a file, or repeated identically
import-duplicate-record-earlier = "{ $value }" appears again with different values (first on an earlier line): expected each record once in a file, or repeated identically
import-duplicate-record-with-earlier = "{ $value }" (with { $others }) appears again with different values (first on an earlier line): expected each record once in a file, or repeated identically
import-duplicate-record-changed-file = this line repeats the record of line { $first } with different values (the file changed while it was imported, so the record cannot be named): expected each record once in a file, or repeated identically
import-duplicate-check-failed = the check for repeated records could not run: { $error }
import-stage-indexing = building indexes
import-stage-enrolling = enrolling
import-stage-committing = saving
import-fhir-not-string = is not a string: expected { $expected }
import-fhir-expected-date = a date like 2024-03-05
import-fhir-expected-date-time = a date-time like 2024-03-05T14:30:00+03:00
import-fhir-bad-partial-date = "{ $value }" is not a date like 1950-07-15, 1950-07 or 1950
import-fhir-number-out-of-range = { $value } is out of range: expected a decimal number
import-fhir-not-number = { $value } is not a number: expected a decimal number
import-fhir-implausible-amount = { $value } is not a plausible amount: expected at most { $max } in absolute value
import-fhir-no-patient-reference = is missing: expected a reference to the patient
import-fhir-no-family-name = is missing: expected the patient's family name
import-fhir-no-birth-date = is missing: expected the date of birth, like 1950-07-15
import-fhir-no-onset = is missing: expected onsetDateTime, onsetPeriod.start or recordedDate
import-fhir-no-encounter-start = is missing: expected when the encounter began
import-fhir-end-before-start = is before the start: expected the end on or after the start
import-fhir-no-service-date = is missing: expected servicedDate, servicedPeriod or the claim's billablePeriod
import-fhir-no-amounts = is missing: expected item amounts, or a total for the whole claim
import-fhir-no-claim-date = is missing: expected the claim's billablePeriod or created date
import-fhir-no-effective = is missing: expected when the measurement was taken
import-fhir-no-id = is missing: expected the resource's id, or a Bundle entry with a fullUrl
import-fhir-not-resources = { $file } holds no FHIR resources (an export's log or manifest) and was skipped
import-fhir-old-version = is FHIR { $version }, not R4: acodesk reads FHIR R4 only; export again as R4 (Synthea 2.x and later write R4 with exporter.fhir.export = true; leave exporter.fhir_stu3.export and exporter.fhir_dstu2.export off)
import-fhir-empty-folder = holds no .json or .ndjson file: expected FHIR Bundles or a Bulk FHIR export
import-fhir-wrong-extension = is neither .json nor .ndjson: expected a FHIR Bundle (.json) or a Bulk FHIR export (.ndjson)
import-fhir-no-such-path = does not exist: expected a .json or .ndjson file, or a folder of them
import-fhir-not-object = is not a JSON object: expected a FHIR resource
import-fhir-no-resource-type = has no resourceType: expected a FHIR resource such as {"{"}"resourceType": "Patient", …{"}"}
import-fhir-unknown-patient = "{ $value }" is not a known patient: expected a Patient of this import or already in the register
import-fhir-bad-gender = "{ $value }" is not a FHIR gender: expected male, female, other or unknown
import-fhir-class-codes = IMP, ACUTE, NONAC, EMER, AMB, SS, OBSENC, PRENC, FLD, HH or VR (v3 ActCode), or a word such as inpatient, emergency, ambulatory, home, virtual or day_hospital
import-fhir-no-class = is missing: expected { import-fhir-class-codes }
import-fhir-bad-class = "{ $value }" is not an encounter class: expected { import-fhir-class-codes }
import-fhir-id-too-long = is longer than { $max } characters: expected a FHIR id
import-cannot-list = cannot be listed: { $error }
import-fhir-bundle-too-large = is larger than { $max } MiB: expected a smaller Bundle, or the resources as NDJSON
import-fhir-bad-json = is not valid JSON ({ $error }): expected a FHIR Bundle or resource
import-fhir-line-too-long = is longer than { $max } MiB: expected one resource per line
import-fhir-bad-json-line = is not valid JSON (column { $column }: { $error }): expected one FHIR resource per line
import-file-cannot-be-read = { $file }: cannot be read
import-synthea-not-folder = { $path } is not a folder: expected the csv folder of a Synthea export
import-synthea-no-patients = { $path } has no patients.csv: expected the csv folder of a Synthea export (patients.csv, encounters.csv, …)
import-synthea-missing-column = the header has no "{ $column }" column: a Synthea { $file } always has { $expected }
import-synthea-other-systems = conditions.csv: { $count ->
    [one] { $count } condition coded in a system other than SNOMED CT or ICD-10 was skipped
   *[other] { $count } conditions coded in a system other than SNOMED CT or ICD-10 were skipped
}
import-synthea-version-1 = this encounters.csv has DATE where Synthea 2.0 and later write START and STOP: it is a Synthea 1.x export, which acodesk does not read; expected an export of Synthea 2.0 or later (run a current Synthea with exporter.csv.export = true)
import-synthea-empty-file = { $file } is empty (0 bytes) and was skipped; the rest of the export was imported
import-synthea-unknown-organizations = encounters.csv: { $count ->
    [one] { $count } encounter names an organization
   *[other] { $count } encounters name an organization
} that organizations.csv does not have (the file is missing or empty); they and their claims were kept with an unknown organization
import-synthea-patient-payments = claims_transactions.csv: { $count ->
    [one] { $count } payment was
   *[other] { $count } payments were
} made by patients (copays, cash, cheques, cards), not by the insurer, and are not counted as spend
import-synthea-unknown-encounters = observations.csv: { $count } observations name an encounter the register does not have; their site was left empty
import-starting-transaction = starting the import transaction
import-committing = committing the import
import-unknown-reference = "{ $value }" is not known: expected an id from { $source } or already in the register
import-register-refused-row = the register refused this row: { $error }
import-register-refused-resource = the register refused this resource: { $error }
import-rejected-written = { $count } rejected rows written to { $path }
import-unknown-column = { $file }: column "{ $column }" is not part of the format and was ignored
file-creating = creating { $path }
file-writing = writing { $path }
import-fhir-no-file = no file given: expected FHIR Bundles (.json), Bulk FHIR exports (.ndjson) or folders of them
import-fhir-rejected-written = { $count } rejected resources written to { $path }
import-fhir-skipped-types = resources of types the register does not keep were skipped: { $list }
import-fhir-unknown-orgs = { $count } references to organizations neither in the import nor in the register were left empty (import the organizations' Bundle with the patients, e.g. Synthea's hospitalInformation*.json)
import-fhir-unknown-encounters = { $count } observations name an encounter the register does not have; their site was left empty
import-fhir-other-systems = { $count ->
    [one] { $count } condition coded in a system other than SNOMED CT or ICD-10 was skipped
   *[other] { $count } conditions coded in systems other than SNOMED CT and ICD-10 were skipped
}
import-fhir-voided = { $count ->
    [one] { $count } entered-in-error, cancelled or refuted resource was skipped
   *[other] { $count } entered-in-error, cancelled or refuted resources were skipped
}
import-fhir-claims-replaced = { $count ->
    [one] { $count } Claim was skipped: an ExplanationOfBenefit for the same care says what was paid
   *[other] { $count } Claims were skipped: an ExplanationOfBenefit for the same care says what was paid
}
import-fhir-lines-removed = { $count } claim lines of earlier imports were removed: replaced by an ExplanationOfBenefit or a newer version
file-reading = reading { $path }
import-list-or = or
import-dir-not-folder = { $path } is not a folder: expected a folder of acodesk CSV files
import-dir-no-files = { $path } holds none of the acodesk CSV files: expected some of { $expected }
import-setting-up = setting up the import
import-enrolling = enrolling patients in the programme
import-updating-worklist = bringing the worklist up to date
import-writing-pilot = writing the pilot description

# security
key-locked = { $path } is encrypted: give its passphrase on the terminal or with --passphrase-fd N (or it is not an acodesk register); it was left untouched
key-wrong = { $path }: the passphrase is wrong (or it is not an acodesk register); it was left untouched
key-empty = the passphrase is empty
key-nul = the passphrase contains a NUL character

# errors: store (the register file)
store-newer-schema = { $path } was written by a newer version of acodesk (schema { $found }; this version knows up to { $known }); it was left untouched: install the newer acodesk to open it
store-not-a-database = { $path } is not an acodesk register (not an SQLite database, or damaged); it was left untouched
store-missing = { $path } does not exist: create it with `acodesk import csv DIR --db { $path }` or try `acodesk demo`
store-failed = { $path }: { $doing } failed: { $error }
store-doing-creating-file = creating the file
store-doing-opening-file = opening the file
store-doing-opening-for-writing = opening the file for writing
store-doing-busy-timeout = setting the busy timeout
store-doing-reading-schema-version = reading the schema version
store-doing-reading-schema = reading the schema
store-doing-migrating = migrating the schema
store-doing-wal = switching to WAL
store-doing-synchronous = setting synchronous=FULL
store-doing-foreign-keys = enabling foreign keys
store-doing-page-cache = sizing the page cache
store-doing-mmap = enabling memory-mapped reads
store-doing-opening-backup = opening the backup
restore-unencrypted = { $path } is not encrypted and the register is: restoring it would leave the patients unencrypted; encrypt the backup first (acodesk encrypt --db { $path }), then restore it; nothing was changed

# errors and messages: command line
cli-warning = warning: { $text }
cli-col-rows = rows
cli-bad-reason = --reason { $value }: not a worklist reason; expected one of { $expected }
cli-bad-outcome = --outcome { $value }: not a call outcome; expected { $expected }
cli-assign-needs-target = give a patient id or --site
cli-no-patient = there is no patient "{ $id }" in the register
cli-no-patient-scoped = there is no patient "{ $id }" on this laptop: it holds only the patients of its sites, so the patient may be outside its scope; the hub can widen it (`acodesk sync scope`), and the patient arrives at the next sync
cli-from-after-to = --from { $from } is after --to { $to }
cli-bad-program = --program { $value }: expected one of { $expected }
cli-computing-readmissions = computing readmissions
cli-bad-month = --month: expected YYYY-MM, got { $value }
cli-contract-managers-only = only managers change the pilot's contract (set role = "manager" in config.toml)
cli-contract-unreadable = { $choice } is neither a preset nor a readable file: { $error }
cli-what-if-bad = --what-if { $entry }: expected CATEGORY=FACTOR with a category among { $categories } and a factor such as 0.95
cli-benchmark-total-bad = --benchmark-total { $value }: expected a positive amount such as 250000000.00
cli-demo-not-demo = { $path } is not a demo register, and the demo never writes into a real one: give another --db path
cli-demo-generating = generating the sample pilot
cli-demo-moving = moving the demo register to { $path }

# errors: configuration
config-cannot-read = { $path } cannot be read: { $error }
toml-error-at = line { $line }, column { $column }: { $reason }
programme-file-error-at = programme file { $file }, line { $line }, column { $column }: { $reason }
programme-file-error = programme file { $file }: { $reason }
config-bad-calendar = config.toml: calendar "{ $value }" is not known: expected ru or none
convert-differs = { $path }: the converted copy differs from the register in { $what }; the register was not changed
key-fd-not-text = the passphrase descriptor { $fd } does not hold a passphrase (it must be UTF-8 text of at most 64 KB, one passphrase a line)
key-fd-unreadable = the passphrase descriptor { $fd } cannot be read: { $error }
key-prompt = Passphrase for { $path }:
key-prompt-again = Wrong passphrase. Passphrase for { $path }:
key-prompt-new = New passphrase for { $path }:
key-prompt-repeat = The same passphrase again:
key-new-needed = a new passphrase is needed: run this on a terminal, or give it with --passphrase-fd N (for rekey: the current passphrase on the first line, the new one on the second)
key-mismatch = the two passphrases differ; nothing was changed
key-not-encrypted = { $path } is not encrypted (or it is not an acodesk register): there is no passphrase to change or remove
key-already-encrypted = { $path } is already encrypted (or it is not an acodesk register): use acodesk rekey to change its passphrase
init-exists = { $path } already exists: init only creates a new register
init-done = { $path }: a new, empty register
init-done-encrypted = { $path }: a new, empty, encrypted register
encrypt-done = { $path } is now encrypted ({ $rows } rows checked). The unencrypted file was replaced, but its old blocks may remain on the disk until overwritten, and earlier backups stay unencrypted
rekey-done = { $path } has its new passphrase; the old one no longer opens it (backups made before keep the old one)
decrypt-done = { $path } is no longer encrypted ({ $rows } rows checked): anyone who can read the disk can read it

# errors: report
report-period-reversed = the period starts ({ $from }) after it ends ({ $to }): --from must not be after --to
report-computing = computing the report's figures

# sync
sync-problem-not-bundle = it is not an acodesk sync bundle
sync-problem-truncated = the file is cut short (not completely written or copied)
sync-problem-damaged = the file is damaged, was altered, or was encrypted for another device: it does not verify
sync-problem-other-register = it was made for another register
sync-problem-unknown-sender = it comes from device { $device }, which this register does not exchange with
sync-problem-schema = it was written by an acodesk with register schema { $theirs } and this register is at { $ours }: update acodesk on both sides
sync-problem-forbidden = it changes { $table }, which its sender may not change
sync-problem-old-this-device = this laptop's register is older than what the hub holds of it (restored from an old backup, or copied from another laptop); nothing was applied: at the hub, add this laptop anew with `acodesk sync add-device` and join the new file
sync-problem-old-this-hub = this hub's register is older than what the laptop has applied of it (restored from an old backup, or copied); nothing was applied: add every laptop anew with `acodesk sync add-device` and join the new files
sync-problem-old-sender-device = the laptop that wrote it holds an older copy of its register than it sent before (restored from an old backup, or copied from another laptop); nothing was applied: add that laptop anew with `acodesk sync add-device` and join the new file on it
sync-problem-old-sender-hub = the hub that wrote it holds an older copy of its register than it sent before (restored from an old backup, or copied); nothing was applied: at the hub, add this laptop anew with `acodesk sync add-device` and join the new file
sync-join-wrong-passphrase = { $path } does not open with this passphrase (or it was altered): type the passphrase given at `acodesk sync add-device`
sync-no-key = this device was added before bundles were encrypted and has no key: at the hub, add it anew with `acodesk sync add-device` and join the new file
sync-seal-error = the file could not be encrypted: { $error }
sync-join-prompt-new = Passphrase for the join file { $path } (give it to the laptop's user separately from the file):
sync-join-prompt = Passphrase of the join file { $path }:
sync-join-passphrase-needed = the join file needs a passphrase: run this on a terminal, or give it with --join-passphrase-fd N
sync-bad-bundle = { $file } was refused: { $problem }; the register was not changed
sync-not-set-up = this register takes part in no sync: on the hub run `acodesk sync init --hub`, on a laptop `acodesk sync join FILE`
sync-already-set-up = this register already takes part in sync
sync-needs-hub = only the hub can do this; a device receives the hub's data by sync
sync-needs-device = this is done on a device (a nurse's laptop), not on the hub
sync-unknown-device = the hub has no device "{ $device }" (see `acodesk sync status`)
sync-which-device = the hub has several devices: name one with --device (its id or name)
sync-unknown-site = the register has no site (organization) "{ $site }"
sync-unknown-nurse = the register has no nurse (staff member) "{ $nurse }"
sync-scope-needed = name the device's sites with --sites S1,S2 or its nurse with --nurse ID
sync-scope-set = The scope of device "{ $device }" is changed: { $patients } patients now; the change reaches the laptop at its next sync.
sync-exists = { $path } exists already and is not overwritten
sync-not-join-file = { $path } is not a device register written by `acodesk sync add-device`
sync-remote-error = the other side said: { $error }
sync-link-error = the link to the other side failed: { $error }
sync-link-closed = the other side closed the link
sync-io-error = { $path }: { $error }
sync-sqlite-error = the register failed: { $error }
sync-needs-via = say what to do: `acodesk sync --via ssh user@hub`, or a subcommand (export, apply, status…)
sync-hub-ready = This register is now the hub (device { $device }). Add each laptop with `acodesk sync add-device --name NAME --out FILE`.
sync-device-added = Device "{ $name }" ({ $device }) added. Install { $path } on its laptop with `acodesk sync join { $path }`; the file holds every patient: carry it like the laptop.
sync-device-added-scoped = Device "{ $name }" ({ $device }) added with the patients of its scope only. Install { $path } ({ $bytes } bytes) on its laptop with `acodesk sync join { $path }`; the file holds those patients: carry it like the laptop.
sync-joined = This laptop's register is { $path }: device { $device } of hub { $hub }.
sync-exported = { $path }: { $rows ->
    [one] { $rows } change
   *[other] { $rows } changes
}, { $bytes } bytes (numbers { $first }–{ $last })
sync-exported-empty = { $path }: nothing new to send; the bundle carries the acknowledgement only
sync-applied = { $file } applied: { $rows ->
    [one] { $rows } change
   *[other] { $rows } changes
} ({ $patients ->
    [one] { $patients } patient
   *[other] { $patients } patients
})
sync-already-applied = { $file } was applied before: nothing changed
sync-exchanged = Synced: { $sent } changes sent, { $received } received ({ $bytes_out } bytes out, { $bytes_in } bytes in)
sync-reconnecting = the link dropped ({ $error }); reconnecting…
sync-progress = ↑ { $sent } sent · ↓ { $received } received
sync-status-line = This register: { $role } { $device }; unsent changes: { $unsent }
sync-role-hub = hub
sync-role-device = device
sync-col-device = device
sync-col-role = role
sync-col-name = name
sync-col-last-sync = last sync (UTC)
sync-col-applied = theirs applied
sync-col-acked = ours acknowledged
sync-header = { $days ->
    [0] synced today
    [one] synced { $days } day ago
   *[other] synced { $days } days ago
} · unsent { $unsent }
sync-header-never = never synced · unsent { $unsent }
phone-unknown-patient = there is no patient "{ $patient }" in the register
phone-not-a-number = "{ $value }" is not a phone number: digits, spaces and + - ( ), 5 to 15 digits
phone-not-saved = the number could not be saved: { $error }
store-unknown-nurse = there is no nurse "{ $id }" in the register (see staff.csv)
store-unknown-site = there is no site "{ $id }" in the register (see organizations.csv)
store-call-not-saved = the call could not be saved: { $error }
store-call-disk-full = the disk is full: the call was not saved (nothing of it was written); free some space and save it again
store-assignment-not-saved = the assignment could not be saved: { $error }
phone-saved = { $patient }: number saved; the old one is kept in the history
phone-unchanged = { $patient }: the number was already that; nothing changed
disk-full = the disk is full: the command was stopped and nothing of it was saved; the register { $path } is as it was before it; free some space and run it again

measures-col-id = Id
measures-col-label = Figure
measures-col-window = Window
measures-col-source = Source
report-method = Method: the catalogue of measures
report-method-note = Every figure of this report as acodesk defines it; the same catalogue is printed by acodesk measures.
report-method-col-population = Population
report-method-col-numerator = Numerator
report-method-col-denominator = Denominator
report-method-col-window = Window
report-method-col-period = Report period
measure-source-own = acodesk's own
report-method-col-source = Source
# The nurse's day without traps (#20): confirmations, date of death, restoring a status.
form-death-date = Date of death (empty = unknown)
form-death-date-unknown = date unknown
form-error-death-future = The date of death is after today: correct it or leave it empty (unknown).
form-confirm-died = Mark { $name } as died ({ $date })? The patient leaves every list.
form-confirm-moved = Mark { $name } as moved away? The patient leaves every list.
form-confirm-hint = Enter yes · Esc back to the form
action-restore-status = restore status (managers)
status-restore-from-card = To restore a status, open the patient's card (Enter).
status-managers-restore = Only a manager can restore a status (role = "manager" in config.toml).
status-already-active = The patient is already active; nothing changed.
status-restored = Status restored to active; the change is in the history.
question-title = Are you sure?
question-quit-unsaved = The call form holds unsaved input. Quit without saving it?
question-restore-status = Give { $name } back the active status?
question-hint = y yes · any other key no
form-phones = Phone
form-why = On the list
form-last-call = Last call
action-edit-phone = change phone
status-phone-from-card = To change a number, open the patient's card (Enter).
phone-form-title = Phone
phone-form-main = Main number
phone-form-second = Second number
phone-form-invalid = Not a phone number: 5 to 15 digits, with spaces, +, -, ( ).
phone-form-hint = Enter save (empty: clear) · Tab the other number · Esc cancel
phone-main-short = main
phone-second-short = second
phone-reported-invalid = reported invalid
phone-form-current = Now: main { $main } · second { $second }
action-next-patient = next patient
action-prev-patient = prev. patient
card-no-next = This is the last patient of the list.
card-no-prev = This is the first patient of the list.
card-results-title = Latest results — target: HbA1c < { $hba1c } %, BP < { $bp }
card-no-results = none recorded
card-programmes = Programmes
card-since = since { $date }
card-bp-trend = BP trend, target below { $bp } ({ $program })
card-bp-change = systolic { $change }
card-bp-trend-none = no readings in 12 months
card-earlier-calls = { $count } earlier { $count ->
    [one] call
   *[other] calls
  } at the end of the card
section-earlier-calls = Earlier calls
help-more = ↓ PgDn more
worklist-empty-filter = No patient on the list for this filter: { $filter }. f, s, n, w change it; Esc clears the search.
action-next-section = next section
section-first-n = the first { $count }
section-lost-empty = Everyone has had a visit in the last 12 months.
col-last-visit = Last visit
reason-short-another_way = reach another way
another-way-advice = Refused or wrong number, yet the reading is urgent: reach her another way (a home visit, the clinic's own contact).
cli-bad-section = --section { $value }: not a worklist section; expected one of { $expected }
section-name-to_call = To call
section-name-agreed_visit = Agreed to visit
section-name-call_back = Call back
section-name-another_way = Reach another way
section-name-removed = Removed
section-name-lost = No visit 12 mo
section-note-agreed = visit { $date }
section-note-call-back = call { $date }
section-note-another-way = { $outcome }: reach another way
section-note-removed = { $outcome } { $date }
action-prev-section = previous section
section-tab-to_call = To call
section-tab-another_way = Other way
section-tab-agreed_visit = Agreed
section-tab-call_back = Call back
section-tab-removed = Removed
section-tab-lost = Lost
section-empty-another_way = Nobody needs another way to be reached.
section-empty-agreed_visit = Nobody is waiting for an agreed visit.
section-empty-call_back = Nobody is waiting for a call back.
section-empty-removed = Nobody has been taken off the calls.
# Hospice or palliative care flag (#18): the exclusion CMS122 and CMS165 share, set by a manager.
status-managers-palliative = Only a manager can mark hospice or palliative care (role = "manager" in config.toml).
palliative-in-future = the date { $date } is after today: hospice or palliative care that has not begun excludes nobody yet
palliative-not-saved = the hospice or palliative care mark could not be saved: { $error }
palliative-set = { $patient }: hospice or palliative care since { $date }; left out of CMS122 and CMS165 (Quality ID 001 and 236) from that date; the change is in the history
palliative-cleared = { $patient }: the hospice or palliative care mark is cleared; counted in CMS122 and CMS165 again; the change is in the history
palliative-unchanged = { $patient }: the hospice or palliative care mark was already that; nothing changed
action-palliative = palliative care (managers)
status-palliative-from-card = To mark hospice or palliative care, open the patient's card (Enter).
card-palliative = Hospice or palliative care since { $date }: not counted in CMS122 and CMS165 (Quality ID 001 and 236)
palliative-form-title = Hospice or palliative care
palliative-form-date = Since
palliative-form-invalid = Not a date on or before today (2026-11-30 or 30.11.2026).
palliative-form-hint = Enter next · Esc cancel
question-palliative-set = Mark { $name } as in hospice or palliative care since { $date }? The patient leaves the CMS122 and CMS165 figures.
question-palliative-clear = Clear { $name }'s hospice or palliative care mark (since { $date })? The patient counts in CMS122 and CMS165 again.
report-readm-chart-partial = ; the first month counts discharges from { $from } only
report-readm-partial-month = { $month } (from { $from })

# contracts4: the payer's quality score (#19 item 3)
wf-quality-score = × quality score
wf-quality-payer-reported = payer-reported
wf-quality-contract-gate = contract gate
wf-quality-not-reported = not reported
cli-quality-score-bad = --quality-score { $value } is not a quality score: expected a fraction between 0 and 1 such as 0.92

# contracts4: contract errors, one sentence written where they reach the user (src/i18n/contract.rs)
contract-error-at = The contract file { $origin } has a bad value for key `{ $key }` at line { $line }, column { $column }: { $problem }.
contract-error-key = The contract file { $origin } has a bad value for key `{ $key }`: { $problem }.
contract-error-line = The contract file { $origin } has a mistake at line { $line }, column { $column }: { $problem }.
contract-error-file = The contract file { $origin } cannot be used: { $problem }.
contract-error-preset = There is no contract preset { $id }: expected one of { $expected }.
contract-origin-register = the register's contract ({ $name })
contract-found-table = a table
contract-found-list = a list
contract-problem-syntax = invalid TOML ({ $reason })
contract-problem-unknown-key = this key is not known here, expected { $expected }
contract-problem-expected-table = expected a table such as `[{ $name }]`
contract-problem-table-required = the `[{ $name }]` table is required
contract-problem-required-text = this key is required and must not be empty
contract-problem-required = this key is required, e.g. { $example }
contract-problem-required-with-fixed = this key is required with `rule = "fixed"` (e.g. { $example })
contract-problem-expected-text = expected quoted text, found { $found }
contract-problem-expected-number = expected a number, found { $found }
contract-problem-not-a-fraction = expected a fraction between 0 and 1 (0.5 = 50 %), found { $found }
contract-problem-required-fraction = this key is required (a fraction such as 0.5)
contract-problem-expected-fractions = expected a list of fractions between 0 and 1 such as [0.4, 0.6]
contract-problem-expected-fractions-found = expected a list of fractions between 0 and 1 such as [0.4, 0.6], found { $found }
contract-problem-expected-amount = expected an amount such as "123456.78", found { $found }
contract-problem-not-positive-amount = expected a positive amount
contract-problem-id-characters = expected letters, digits and dashes only
contract-problem-currency-code = expected a three-letter ISO code such as "RUB" or "USD"
contract-problem-expected-categories = expected a list of claim categories among { $expected }, found { $found }
contract-problem-benchmark-both = give either `per_person_year` or `[benchmark.from_baseline]`, not both
contract-problem-weights-sum = the weights must sum to 1, they sum to { $total }
contract-problem-trend-not-positive = expected a positive factor such as 1.04
contract-problem-spend-count = expected { $count } amounts such as "100000.00", one per weight
contract-problem-expected-amounts = expected a list of amounts, found { $found }
contract-problem-only-with-spread = `z` and `floor` only go with `rule = "spread"`
contract-problem-only-with-fixed = a rate only goes with `rule = "fixed"`
contract-problem-choice = expected one of { $expected }, found "{ $found }"
contract-problem-min-above-max = `min_rate` must not exceed `max_rate`
contract-problem-lag-not-positive = completion factors must be above 0
contract-problem-seasonality = expected 12 positive weights, January first
contract-problem-out-of-range = { $found } is outside the plausible range { $min }–{ $max } (`--force` accepts it deliberately)
contract-problem-lag-above-one = the completion factor for lag { $lag } is { $found }, expected more than 0 and at most 1
contract-problem-lag-falls = the completion factor for lag { $lag }, { $found }, is below the one before it, { $previous }: completion cannot fall with lag
contract-problem-no-such-preset = there is no such preset, expected one of { $expected }
# The toml crate's reasons for a syntax error (src/toml_error.rs), by their words; English as the parser writes them.
toml-reason-expected = { $reason }, expected { $expected }
toml-reason-unknown = the syntax is wrong
toml-reason-carriage-return-must-be-followed-by-newline = carriage return must be followed by newline
toml-reason-missing-opening-quote = missing opening quote
toml-reason-missing-closing-quote = missing closing quote
toml-reason-missing-comma-between-array-elements = missing comma between array elements
toml-reason-integers-with-a-radix-cannot-be-signed = integers with a radix cannot be signed
toml-reason-radix-must-be-lowercase = radix must be lowercase
toml-reason-missing-assignment-between-key-value-pairs = missing assignment between key-value pairs
toml-reason-invalid-multi-line-basic-string = invalid multi-line basic string
toml-reason-unexpected-leading-zero = unexpected leading zero
toml-reason-unclosed-array-table = unclosed array table
toml-reason-missing-key-for-inline-table-element = missing key for inline table element
toml-reason-missing-inline-table-opening = missing inline table opening
toml-reason-missing-escaped-value = missing escaped value
toml-reason-missing-array-opening = missing array opening
toml-reason-invalid-unquoted-key = invalid unquoted key
toml-reason-cannot-recurse-further-max-recursion-depth-met = cannot recurse further; max recursion depth met
toml-reason-unquoted-keys-cannot-be-empty = unquoted keys cannot be empty
toml-reason-unexpected-sign = unexpected sign
toml-reason-unexpected-key-or-value = unexpected key or value
toml-reason-unexpected-content = unexpected content
toml-reason-unexpected-content-between-comment-and-newline = unexpected content between comment and newline
toml-reason-unexpected-equals-in-array = unexpected `=` in array
toml-reason-unclosed-table = unclosed table
toml-reason-unclosed-inline-table = unclosed inline table
toml-reason-unclosed-array = unclosed array
toml-reason-too-few-unicode-value-digits = too few unicode value digits
toml-reason-string-values-must-be-quoted = string values must be quoted
toml-reason-redundant-numeric-sign = redundant numeric sign
toml-reason-redundant-integer-number-prefix = redundant integer number prefix
toml-reason-missing-value = missing value
toml-reason-missing-value-for-key = missing value for key
toml-reason-missing-table-open = missing table open
toml-reason-missing-comment-start = missing comment start
toml-reason-missing-comma-between-key-value-pairs = missing comma between key-value pairs
toml-reason-key-with-no-value = key with no value
toml-reason-invalid-value = invalid value
toml-reason-invalid-key-value-pair = invalid key-value pair
toml-reason-invalid-inline-table-element = invalid inline table element
toml-reason-invalid-comment-character = invalid comment character
toml-reason-extra-comma-in-inline-table = extra comma in inline table
toml-reason-extra-comma-in-array = extra comma in array
toml-reason-extra-assignment-between-key-value-pairs = extra assignment between key-value pairs
toml-reason-extra-equals = extra `=`
toml-reason-underscore-may-only-go-between-digits = `_` may only go between digits
toml-reason-invalid-key = invalid key
toml-reason-invalid-basic-string = invalid basic string
toml-reason-invalid-table = invalid table
toml-reason-invalid-string = invalid string
toml-reason-invalid-octal-number = invalid octal number
toml-reason-invalid-multi-line-literal-string = invalid multi-line literal string
toml-reason-invalid-mantissa = invalid mantissa
toml-reason-invalid-literal-string = invalid literal string
toml-reason-invalid-integer-number = invalid integer number
toml-reason-invalid-hexadecimal-number = invalid hexadecimal number
toml-reason-invalid-fraction = invalid fraction
toml-reason-invalid-float = invalid float
toml-reason-invalid-exponent = invalid exponent
toml-reason-invalid-date-time = invalid date-time
toml-reason-invalid-boolean = invalid boolean
toml-reason-invalid-binary-number = invalid binary number
toml-reason-duplicate-key = duplicate key
toml-reason-recursion-limit = recursion limit
toml-reason-whitespace = whitespace
toml-reason-comment = comment
toml-reason-newline = newline
toml-reason-literal-string = literal string
toml-reason-basic-string = basic string
toml-reason-multi-line-literal-string = multi-line literal string
toml-reason-multi-line-basic-string = multi-line basic string
toml-reason-token = token
toml-reason-end-of-input = end-of-input
toml-reason-string = string
toml-reason-boolean = boolean
toml-reason-date-time = date-time
toml-reason-float = float
toml-reason-integer = integer
toml-reason-hexadecimal = hexadecimal
toml-reason-octal = octal
toml-reason-binary = binary
toml-reason-key = key
toml-reason-value = value
toml-reason-letters = letters
toml-reason-numbers = numbers
toml-reason-digits = digits
toml-reason-characters = characters
toml-reason-printable-characters = printable characters
toml-reason-non-double-quote-visible-characters = non-double-quote visible characters
toml-reason-non-single-quote-characters = non-single-quote characters
toml-reason-non-single-quote-visible-characters = non-single-quote visible characters
toml-reason-unicode-hexadecimal-value = unicode hexadecimal value
toml-reason-key-value-separator = key-value separator
toml-reason-key-separator = key separator
toml-reason-value-separator = value separator
toml-reason-std-table-open = std-table open
toml-reason-std-table-close = std-table close
toml-reason-inline-table-open = inline-table open
toml-reason-inline-table-close = inline-table close
toml-reason-array-open = array open
toml-reason-array-close = array close
toml-reason-nothing = nothing
toml-reason-etc = etc
toml-reason-array-table-close = array-table close
toml-reason-array-table-open = array-table open
toml-reason-unquoted-string = unquoted string
toml-reason-could-not-allocate-for-string = could not allocate for string
toml-reason-integer-number-overflowed = integer number overflowed
toml-reason-floating-point-number-overflowed = floating-point number overflowed
toml-reason-cannot-extend-value-of-type-string-with-a-dotted-key = cannot extend value of type string with a dotted key
toml-reason-cannot-extend-value-of-type-integer-with-a-dotted-key = cannot extend value of type integer with a dotted key
toml-reason-cannot-extend-value-of-type-float-with-a-dotted-key = cannot extend value of type float with a dotted key
toml-reason-cannot-extend-value-of-type-boolean-with-a-dotted-key = cannot extend value of type boolean with a dotted key
toml-reason-cannot-extend-value-of-type-datetime-with-a-dotted-key = cannot extend value of type datetime with a dotted key
toml-reason-cannot-extend-value-of-type-array-with-a-dotted-key = cannot extend value of type array with a dotted key
toml-reason-cannot-extend-value-of-type-table-with-a-dotted-key = cannot extend value of type table with a dotted key
toml-reason-cannot-extend-value-of-type-inline-table-with-a-dotted-key = cannot extend value of type inline table with a dotted key
# The card's other measurements (#22): kidney function, urine albumin, LDL, fasting glucose.
card-labs-title = Kidneys, lipids, fasting glucose (eGFR: CKD-EPI 2021)
lab-creatinine = Creatinine
lab-egfr = eGFR
lab-uacr = Urine albumin/creatinine
lab-ldl = LDL
lab-fasting-glucose = Fasting glucose
unit-umol-l = µmol/L
unit-mg-mmol = mg/mmol
unit-mmol-l = mmol/L
gfr-category = G{ $stage }
albuminuria-category = A{ $stage }
cli-unknown-program = Unknown programme "{ $value }": the known programmes are { $known }.
progress-hearts-title = HEARTS indicators (Simple's definitions), { $program }, as of { $as_of }:
hearts-col-assigned = Assigned
hearts-col-under_care = In care
hearts-col-lost_to_follow_up = Lost
hearts-col-denominator = Denom.
hearts-col-controlled = Controlled
hearts-col-uncontrolled = Uncontr.
hearts-col-visited_no_bp = No BP
hearts-col-missed_visit = Missed
hearts-col-bs_under_200 = BS<200
hearts-col-bs_200_to_299 = BS200-299
hearts-col-bs_300_plus = BS≥300
hearts-col-visited_no_bs = No BS
report-hearts-title = HEARTS indicators: { $program }
report-hearts-note = As Simple publishes them ("What we report"), as of { $as_of }: assigned (enrolled, alive, not moved away), under care (a contact or enrolment in the 12 months), lost to follow-up, and over the denominator (under care, enrolled 3+ months before) the state at the latest reading of the last 3 months. Differences from Simple are listed in the README.
report-hearts-registrations = Registrations: patients enrolled in each month, and in all up to its end
report-col-registered = Registered
report-col-cumulative = Cumulative
report-hearts-cohorts = Quarterly cohorts: patients enrolled in a quarter, and their state over the two quarters after it
report-hearts-cohorts-note = A cohort counts the patients enrolled in the quarter who are alive, not moved away and still enrolled at the end of the two following quarters; only cohorts whose two quarters have ended are shown.
report-col-quarter = Quarter
report-col-cohort = Cohort
progress-hint-program = HEARTS
progress-hearts-panel = HEARTS (Simple's definitions): { $program }, as of { $as_of }
progress-hearts-none = The register has no programme yet: HEARTS figures appear once patients are enrolled.
progress-hint-program-next = HEARTS: next programme

## CSV and workbook headers (report --csv/--xlsx, command CSV): csv-col-<id> is the column id's header;
## a share's columns are "<figure>: csv-part-num/den/pct".
csv-col-above_target = above_target
csv-col-admissions_per_1000 = admissions_per_1000
csv-col-agreed_visit = agreed_visit
csv-col-all_categories = all_categories
csv-col-amount = amount
csv-col-bed_days_per_1000 = bed_days_per_1000
csv-col-budget = budget
csv-col-budget_cumulative = budget_cumulative
csv-col-calls = calls
csv-col-category = category
csv-col-counted_from = counted_from
csv-col-currency = currency
csv-col-day_hospital_stays_per_1000 = day_hospital_stays_per_1000
csv-col-denominator = denominator
csv-col-emergency_visits_per_1000 = emergency_visits_per_1000
csv-col-feed = feed
csv-col-figure = figure
csv-col-hospital = hospital
csv-col-id = id
csv-col-imported_at = imported_at
csv-col-in_benchmark = in_benchmark
csv-col-index_stays = index_stays
csv-col-label = label
csv-col-latest = latest
csv-col-member_months = member_months
csv-col-month = month
csv-col-month_end = month_end
csv-col-no_answer_or_wrong_number = no_answer_or_wrong_number
csv-col-note = note
csv-col-numerator = numerator
csv-col-nurse = nurse
csv-col-nurse_id = nurse_id
csv-col-organization_id = organization_id
csv-col-outpatient_visits_per_1000 = outpatient_visits_per_1000
csv-col-paid = paid
csv-col-paid_cumulative = paid_cumulative
csv-col-pct = pct
csv-col-person_years = person_years
csv-col-population = population
csv-col-rate = rate
csv-col-rate_pct = rate_pct
csv-col-readmissions = readmissions
csv-col-report_period = report_period
csv-col-rows = rows
csv-col-rows_new = rows_new
csv-col-rows_rejected = rows_rejected
csv-col-rows_unchanged = rows_unchanged
csv-col-rows_updated = rows_updated
csv-col-site = site
csv-col-site_id = site_id
csv-col-source = source
csv-col-spend_per_person_year = spend_per_person_year
csv-col-step = step
csv-col-unit = unit
csv-col-user = user
csv-col-value = value
csv-col-weakest_in = weakest_in
csv-col-window = window
csv-col-worklist = worklist
csv-part-num = numerator
csv-part-den = denominator
csv-part-pct = %
csv-col-name = name
csv-col-savings = savings
csv-col-savings_rate = savings_rate
csv-col-msr = msr
csv-col-generated = generated
csv-col-final_sharing_rate = final_sharing_rate
csv-col-earned = earned
csv-col-cap_applied = cap_applied
