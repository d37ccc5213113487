import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, formatEta, formatSpeed, itemDate, progressOf, shellQuote } from '@/lib/format'

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB')
    expect(formatBytes(150 * 1024 ** 3)).toBe('150 GiB')
  })

  it('shows a dash for unknown sizes', () => {
    expect(formatBytes(null)).toBe('—')
    expect(formatBytes(undefined)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
    expect(formatBytes(-1)).toBe('—')
  })
})

describe('formatSpeed', () => {
  it('formats bytes per second', () => {
    expect(formatSpeed(2.5 * 1024 * 1024)).toBe('2.5 MiB/s')
    expect(formatSpeed(0)).toBe('—')
    expect(formatSpeed(null)).toBe('—')
  })
})

describe('formatEta / formatDuration', () => {
  it('formats minutes and hours', () => {
    expect(formatEta(0)).toBe('0:00')
    expect(formatEta(59)).toBe('0:59')
    expect(formatEta(323)).toBe('5:23')
    expect(formatEta(3600 + 5 * 60 + 7)).toBe('1:05:07')
    expect(formatDuration(12.6)).toBe('0:13')
  })

  it('shows a dash when unknown', () => {
    expect(formatEta(null)).toBe('—')
    expect(formatEta(Infinity)).toBe('—')
  })
})

describe('progressOf', () => {
  it('prefers percent, clamps it and falls back to bytes', () => {
    expect(progressOf({ percent: 45.6 })).toBe(45.6)
    expect(progressOf({ percent: 120 })).toBe(100)
    expect(progressOf({ downloaded_bytes: 50, total_bytes: 200 })).toBe(25)
    expect(progressOf({})).toBeNull()
  })
})

describe('itemDate', () => {
  it('reads nanosecond timestamps and RFC 2822 dates', () => {
    expect(itemDate({ timestamp: 1_700_000_000_000_000_000 })?.getTime()).toBe(1_700_000_000_000)
    expect(itemDate({ datetime: 'Tue, 14 Nov 2023 22:13:20 GMT' })?.getTime()).toBe(1_700_000_000_000)
    expect(itemDate({ datetime: 'nonsense' })).toBeNull()
  })
})

describe('shellQuote', () => {
  it('leaves plain values and quotes the rest', () => {
    expect(shellQuote('best')).toBe('best')
    expect(shellQuote('en.*,ja')).toBe(`'en.*,ja'`)
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
  })
})
