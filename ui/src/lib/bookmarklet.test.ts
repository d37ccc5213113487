import { describe, expect, it } from 'vitest'
import { appRoot, bookmarklet, quickAddUrl } from '@/lib/bookmarklet'

describe('bookmarklet', () => {
  it('targets the app root under its base path', () => {
    expect(appRoot('https://h.example/tube/index.html#/help')).toBe('https://h.example/tube/')
    expect(quickAddUrl('https://h.example/tube/', 'https://v/?a=1&b=2', 'audio')).toBe(
      'https://h.example/tube/api/history/add?url=https%3A%2F%2Fv%2F%3Fa%3D1%26b%3D2&preset=audio',
    )
  })

  it('is a javascript: link that sends location.href', () => {
    const link = bookmarklet('https://h.example/tube/', 'my preset')
    expect(link.startsWith('javascript:')).toBe(true)
    expect(link).toContain('"https://h.example/tube/api/history/add?url="+encodeURIComponent(location.href)+"&preset=my%20preset"')
    // The code must at least parse.
    expect(() => new Function(link.slice('javascript:'.length))).not.toThrow()
  })
})
