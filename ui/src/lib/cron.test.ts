import { describe, expect, it } from 'vitest'
import { describeTimer, nextRuns, parseCron } from '@/lib/cron'

// From 2024-01-30 22:59:30 UTC, the next three runs as the server computes them:
// app.tasks.scheduler.next_after (croniter 7) under TZ=UTC, chained three times.
const AFTER = new Date('2024-01-30T22:59:30Z')
const CRONITER: [string, string[]][] = [
  ['*/15 * * * *', ['2024-01-30T23:00:00Z',  '2024-01-30T23:15:00Z',  '2024-01-30T23:30:00Z']],
  ['0 */6 * * *', ['2024-01-31T00:00:00Z',  '2024-01-31T06:00:00Z',  '2024-01-31T12:00:00Z']],
  ['55 3 * * *', ['2024-01-31T03:55:00Z',  '2024-02-01T03:55:00Z',  '2024-02-02T03:55:00Z']],
  ['0 12 * * mon-fri', ['2024-01-31T12:00:00Z',  '2024-02-01T12:00:00Z',  '2024-02-02T12:00:00Z']],
  ['30 8 1 * *', ['2024-02-01T08:30:00Z',  '2024-03-01T08:30:00Z',  '2024-04-01T08:30:00Z']],
  ['0 0 29 2 *', ['2024-02-29T00:00:00Z',  '2028-02-29T00:00:00Z',  '2032-02-29T00:00:00Z']],
  ['0 0 1,15 * 1', ['2024-02-01T00:00:00Z',  '2024-02-05T00:00:00Z',  '2024-02-12T00:00:00Z']],
  ['0 0 */2 * sun', ['2024-01-31T00:00:00Z',  '2024-02-01T00:00:00Z',  '2024-02-03T00:00:00Z']],
  ['* * * * * */20', ['2024-01-30T22:59:40Z',  '2024-01-30T23:00:00Z',  '2024-01-30T23:00:20Z']],
  ['0 0 * * * 30', ['2024-01-31T00:00:30Z',  '2024-02-01T00:00:30Z',  '2024-02-02T00:00:30Z']],
  ['5/15 * * * *', ['2024-01-30T23:05:00Z',  '2024-01-30T23:20:00Z',  '2024-01-30T23:35:00Z']],
  ['0 9-17/4 * * *', ['2024-01-31T09:00:00Z',  '2024-01-31T13:00:00Z',  '2024-01-31T17:00:00Z']],
  ['0 0 L * *', ['2024-01-31T00:00:00Z',  '2024-02-29T00:00:00Z',  '2024-03-31T00:00:00Z']],
  ['0 6 * jan,jul 7', ['2024-07-07T06:00:00Z',  '2024-07-14T06:00:00Z',  '2024-07-21T06:00:00Z']],
  ['0 0 13 * 5', ['2024-02-02T00:00:00Z',  '2024-02-09T00:00:00Z',  '2024-02-13T00:00:00Z']],
  ['10-40/10 2 * * 0-6', ['2024-01-31T02:10:00Z',  '2024-01-31T02:20:00Z',  '2024-01-31T02:30:00Z']],
  ['0 0 */1 * 1', ['2024-01-31T00:00:00Z',  '2024-02-01T00:00:00Z',  '2024-02-02T00:00:00Z']],
  ['0 0 * * 1,3,5 15,45', ['2024-01-31T00:00:15Z',  '2024-01-31T00:00:45Z',  '2024-02-02T00:00:15Z']],
  ['0 0 1 * 0-6', ['2024-01-31T00:00:00Z',  '2024-02-01T00:00:00Z',  '2024-02-02T00:00:00Z']],
  ['0 0 1-31 * 1', ['2024-01-31T00:00:00Z',  '2024-02-01T00:00:00Z',  '2024-02-02T00:00:00Z']],
  ['0 0 ? * 1', ['2024-02-05T00:00:00Z',  '2024-02-12T00:00:00Z',  '2024-02-19T00:00:00Z']],
]

describe('nextRuns', () => {
  it.each(CRONITER)('%s runs when croniter says', (timer, expected) => {
    const runs = nextRuns(timer, AFTER, 3, { utc: true })
    expect(runs.map((d) => d.toISOString().replace('.000', ''))).toEqual(expected)
  })

  it('runs strictly after the given instant', () => {
    const at = new Date('2024-05-01T10:15:00Z')
    expect(nextRuns('15 10 * * *', at, 1, { utc: true })[0]?.toISOString()).toBe('2024-05-02T10:15:00.000Z')
    expect(nextRuns('*/15 * * * *', new Date('2024-05-01T10:14:59.900Z'), 1, { utc: true })[0]?.toISOString())
      .toBe('2024-05-01T10:15:00.000Z')
  })

  it('gives up on a timer that never comes', () => {
    expect(nextRuns('0 0 31 2 *', AFTER, 3, { utc: true })).toEqual([])
  })

  it('counts in local time by default', () => {
    const [run] = nextRuns('30 8 * * *', new Date(2024, 0, 30, 9, 0, 0), 1)
    expect([run?.getDate(), run?.getHours(), run?.getMinutes()]).toEqual([31, 8, 30])
  })
})

describe('parseCron', () => {
  it('reads names, 7 as Sunday and a step from a start', () => {
    const fields = parseCron('5/20 1 * JAN-mar sun,7')
    expect([...fields.minutes]).toEqual([5, 25, 45])
    expect([...fields.months]).toEqual([1, 2, 3])
    expect([...fields.weekdays]).toEqual([0])
    expect([...fields.seconds]).toEqual([0])
  })

  it.each([
    ['* * * *', /5 fields/],
    ['* * * * * * *', /5 fields/],
    ['60 * * * *', /minute: 60 is out of 0-59/],
    ['* 5-2 * * *', /runs backwards/],
    ['*/0 * * * *', /bad step/],
    ['x * * * *', /not a number/],
    ['0 0 * * 1#2', /not previewed/],
    ['H * * * *', /not previewed/],
  ])('refuses %s', (timer, message) => {
    expect(() => parseCron(timer)).toThrow(message)
  })
})

describe('describeTimer', () => {
  it('shows nothing for no timer, and a reason for a bad one', () => {
    expect(describeTimer('  ', AFTER)).toEqual({ runs: [], error: '' })
    expect(describeTimer('61 * * * *', AFTER).error).toMatch(/out of/)
    expect(describeTimer('0 * * * *', AFTER).runs).toHaveLength(3)
  })
})
