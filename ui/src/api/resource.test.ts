import { describe, expect, it } from 'vitest'
import { api } from '@/api'
import { writable } from '@/api/resource'
import { mockFetch } from '@/testing'

describe('resource clients', () => {
  it('reads one full object, and changes one with PATCH of the given fields only', async () => {
    const { calls } = mockFetch({
      'GET /api/presets/4': { id: 4, name: 'mine', cookies: '# Netscape' },
      'PATCH /api/presets/4': (c: { body: unknown }) => ({ id: 4, name: 'mine', cookies: '# Netscape', ...(c.body as object) }),
    })
    expect((await api.presets.get(4)).cookies).toBe('# Netscape')
    await api.presets.patch(4, { cli: '-x' })
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual(['GET /api/presets/4', 'PATCH /api/presets/4'])
    expect(calls[1]?.body).toEqual({ cli: '-x' })
  })

  it('never sends has_cookies, at the top or in extras', async () => {
    const { calls } = mockFetch({
      'POST /api/presets/': { id: 1, name: 'a' },
      'PATCH /api/conditions/2': { id: 2, name: 'c', filter: 'x' },
    })
    await api.presets.create({ name: 'a', has_cookies: true } as never)
    await api.conditions.patch(2, { extras: { skip: true, has_cookies: true } })
    expect(calls[0]?.body).toEqual({ name: 'a' })
    expect(calls[1]?.body).toEqual({ extras: { skip: true } })
    expect(writable({ extras: [1] })).toEqual({ extras: [1] })
  })

  it('turns a full object into its list entry, without the secret', () => {
    expect(api.presets.entry({ id: 1, name: 'a', cookies: 'c' })).toEqual({ id: 1, name: 'a', has_cookies: true })
    expect(api.conditions.entry({ id: 2, name: 'b', filter: 'x', extras: { cookies: '', skip: true } }))
      .toEqual({ id: 2, name: 'b', filter: 'x', extras: { skip: true, has_cookies: false } })
  })
})
