// The next runs of a task's cron `timer`, as the server's croniter computes them
// (app/tasks/scheduler.py `next_after`): five fields (minute hour day month weekday), or six
// with the seconds LAST. Lists, ranges, steps (`*/5`, `10-40/10`, `5/15`), month and
// weekday names, `?` (any), `L` in the day field and weekday 7 (= Sunday) are understood.
// When both day and weekday are restricted, a day matching either runs (croniter's
// `day_or`); only a bare `*` (or `?`) leaves either unrestricted, as croniter expands them:
// `0 0 1 * 0-6` runs every day, `0 0 */1 * 1` too. Hash (`H`), `#` and `W` are refused: the server still accepts
// them, and its list shows their next run.

export interface CronFields {
  seconds: Set<number>
  minutes: Set<number>
  hours: Set<number>
  days: Set<number>
  /** `L` in the day field: the month's last day. */
  lastDay: boolean
  months: Set<number>
  weekdays: Set<number>
  /** The day field is a bare `*`. */
  anyDay: boolean
  /** The weekday field is a bare `*`. */
  anyWeekday: boolean
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

interface Range { min: number; max: number; names?: string[]; nameBase?: number }

function value(text: string, range: Range, field: string): number {
  const lower = text.toLowerCase()
  const named = range.names?.indexOf(lower) ?? -1
  if (named >= 0) return named + (range.nameBase ?? 0)
  if (!/^\d+$/.test(text)) throw new Error(`${field}: '${text}' is not a number`)
  const number = Number(text)
  if (number < range.min || number > range.max) throw new Error(`${field}: ${number} is out of ${range.min}-${range.max}`)
  return number
}

function expand(text: string, range: Range, field: string): Set<number> {
  const out = new Set<number>()
  for (const part of text.split(',')) {
    if (part === '') throw new Error(`${field}: empty list entry`)
    const [base = '', stepText, extra] = part.split('/')
    if (extra !== undefined) throw new Error(`${field}: '${part}' has two steps`)
    let step = 1
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new Error(`${field}: bad step '${stepText}'`)
      step = Number(stepText)
    }
    let low: number
    let high: number
    if (base === '*' || base === '?') {
      low = range.min
      high = range.max
    } else if (base.includes('-')) {
      const [a, b, more] = base.split('-')
      if (more !== undefined || !a || !b) throw new Error(`${field}: bad range '${base}'`)
      low = value(a, range, field)
      high = value(b, range, field)
      if (low > high) throw new Error(`${field}: range '${base}' runs backwards`)
    } else {
      low = value(base, range, field)
      // `5/15`: from 5 to the end, as croniter reads it.
      high = stepText !== undefined ? range.max : low
    }
    for (let n = low; n <= high; n += step) out.add(n)
  }
  return out
}

// croniter: only a bare `*` (or `?`) leaves a field unrestricted; `*/1` and `0-6` restrict it.
const isStar = (field: string) => field === '*' || field === '?'

/** Parses a timer; throws an Error that says what is wrong. */
export function parseCron(timer: string): CronFields {
  const parts = timer.trim().split(/\s+/).filter(Boolean)
  if (parts.length !== 5 && parts.length !== 6) {
    throw new Error(`a timer has 5 fields (minute hour day month weekday), or 6 with seconds last; this has ${parts.length}`)
  }
  const [minute = '', hour = '', day = '', month = '', weekday = '', second = '0'] = parts
  const special = [minute, hour, day, second].some((p) => /[HW]/i.test(p)) || /#|\dL$/i.test(weekday)
  if (special) throw new Error('timers with H, #, W or a last weekday are not previewed here')
  const lastDay = /^l$/i.test(day)
  const days = lastDay ? new Set<number>() : expand(day, { min: 1, max: 31 }, 'day')
  const weekdays = new Set([...expand(weekday, { min: 0, max: 7, names: WEEKDAYS }, 'weekday')].map((d) => d % 7))
  return {
    seconds: expand(second, { min: 0, max: 59 }, 'second'),
    minutes: expand(minute, { min: 0, max: 59 }, 'minute'),
    hours: expand(hour, { min: 0, max: 23 }, 'hour'),
    days,
    lastDay,
    months: expand(month, { min: 1, max: 12, names: MONTHS, nameBase: 1 }, 'month'),
    weekdays,
    anyDay: isStar(day),
    anyWeekday: isStar(weekday),
  }
}

/** Date parts in local time, or in UTC (tests; a server in UTC). */
interface Calendar {
  get(d: Date): [number, number, number, number, number, number, number]
  make(y: number, mo: number, d: number, h: number, mi: number, s: number): Date
}
const LOCAL: Calendar = {
  get: (d) => [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getDay()],
  make: (y, mo, d, h, mi, s) => new Date(y, mo - 1, d, h, mi, s),
}
const UTC: Calendar = {
  get: (d) => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCDay()],
  make: (y, mo, d, h, mi, s) => new Date(Date.UTC(y, mo - 1, d, h, mi, s)),
}

const daysIn = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate()

function dayMatches(f: CronFields, y: number, mo: number, d: number, weekday: number): boolean {
  const byDay = f.lastDay ? d === daysIn(y, mo) : f.days.has(d)
  const byWeekday = f.weekdays.has(weekday)
  if (!f.anyDay && !f.anyWeekday) return byDay || byWeekday
  return byDay && byWeekday
}

// A timer that never matches (`0 0 31 2 *`) gives up after this many years.
const HORIZON_YEARS = 8

/**
 * The first `count` runs strictly after `after`, as croniter gives them. Throws for a timer
 * it cannot read; gives fewer runs for a timer that never comes within eight years.
 */
export function nextRuns(timer: string, after: Date, count = 3, { utc = false } = {}): Date[] {
  const f = parseCron(timer)
  const cal = utc ? UTC : LOCAL
  const runs: Date[] = []
  // Strictly after: the next whole second.
  let t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000)
  const [startYear] = cal.get(t)
  let guard = 0
  while (runs.length < count && guard++ < 200_000) {
    const [y, mo, d, h, mi, s, wd] = cal.get(t)
    if (y > startYear + HORIZON_YEARS) break
    if (!f.months.has(mo)) { t = cal.make(y, mo + 1, 1, 0, 0, 0); continue }
    if (!dayMatches(f, y, mo, d, wd)) { t = cal.make(y, mo, d + 1, 0, 0, 0); continue }
    if (!f.hours.has(h)) { t = cal.make(y, mo, d, h + 1, 0, 0); continue }
    if (!f.minutes.has(mi)) { t = cal.make(y, mo, d, h, mi + 1, 0); continue }
    if (!f.seconds.has(s)) { t = cal.make(y, mo, d, h, mi, s + 1); continue }
    runs.push(t)
    t = new Date(t.getTime() + 1000)
  }
  return runs
}

/** What the cron helper shows: the next runs, or why there are none. */
export function describeTimer(timer: string, now: Date, count = 3): { runs: Date[]; error: string } {
  if (!timer.trim()) return { runs: [], error: '' }
  try {
    return { runs: nextRuns(timer, now, count), error: '' }
  } catch (err) {
    return { runs: [], error: err instanceof Error ? err.message : String(err) }
  }
}
