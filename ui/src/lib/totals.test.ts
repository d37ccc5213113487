import { describe, expect, it } from 'vitest'
import { makeItem } from '@/testing'
import { queueTotals } from '@/lib/totals'

describe('queueTotals', () => {
  it('is all zero for an empty queue', () => {
    expect(queueTotals([])).toEqual({ speed: 0, left: 0, active: 0, remaining: 0, unsized: 0, eta: null })
  })

  it('adds the running speeds and divides every known remaining byte by them', () => {
    const totals = queueTotals([
      makeItem({ status: 'downloading', speed: 1000, total_bytes: 10_000, downloaded_bytes: 4000 }),
      makeItem({ status: 'downloading', speed: 3000, total_bytes: 20_000, downloaded_bytes: 10_000 }),
      makeItem({ status: null, total_bytes: 24_000 }), // waiting, size known from the probe
      makeItem({ status: null }), // size unknown
    ])
    expect(totals.speed).toBe(4000)
    expect(totals.left).toBe(4)
    expect(totals.active).toBe(2)
    expect(totals.remaining).toBe(6000 + 10_000 + 24_000)
    expect(totals.unsized).toBe(1)
    expect(totals.eta).toBe(10)
  })

  it('falls back to the longest running ETA when no size is known', () => {
    const totals = queueTotals([
      makeItem({ status: 'downloading', speed: 500, eta: 30 }),
      makeItem({ status: 'downloading', speed: 500, eta: 90 }),
    ])
    expect(totals.eta).toBe(90)
  })

  it('has no ETA while nothing moves, and ignores junk numbers', () => {
    const totals = queueTotals([
      makeItem({ status: 'downloading', speed: Number.NaN, total_bytes: 100 }),
      makeItem({ status: 'preparing', speed: -5, total_bytes: -1 }),
    ])
    expect(totals.speed).toBe(0)
    expect(totals.eta).toBeNull()
    expect(totals.unsized).toBe(1)
  })
})
