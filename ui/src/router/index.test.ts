import { describe, expect, it } from 'vitest'
import { viewFromHash } from '@/router'

describe('viewFromHash', () => {
  it('maps hashes to views and falls back to downloads', () => {
    expect(viewFromHash('#/presets')).toBe('presets')
    expect(viewFromHash('#fields')).toBe('fields')
    expect(viewFromHash('#/help?x=1')).toBe('help')
    expect(viewFromHash('')).toBe('downloads')
    expect(viewFromHash('#/nope')).toBe('downloads')
  })
})
