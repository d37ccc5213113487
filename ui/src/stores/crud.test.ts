import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { mockFetch } from '@/testing'
import { useConditionsStore, usePresetsStore } from '@/stores/resources'

beforeEach(() => setActivePinia(createPinia()))

describe('CRUD stores', () => {
  it('shows an empty list with a message when the server has no such route', async () => {
    mockFetch({})
    const conditions = useConditionsStore()
    await conditions.fetchAll()
    expect(conditions.list).toEqual([])
    expect(conditions.error).toBe('This server does not offer conditions yet.')
  })

  it('lists built-in presets first, then by priority and name', async () => {
    mockFetch({
      'GET /api/presets/': {
        items: [
          { id: 1, name: 'zeta', priority: 0 },
          { id: 2, name: 'alpha', priority: 0 },
          { id: 3, name: 'default', default: true },
          { id: 4, name: 'urgent', priority: 5 },
        ],
        pagination: {},
      },
    })
    const presets = usePresetsStore()
    await presets.fetchAll()
    expect(presets.list.map((p) => p.name)).toEqual(['default', 'urgent', 'alpha', 'zeta'])
  })

  it('creates, patches and deletes, keeping the list current without the secrets', async () => {
    const { calls } = mockFetch({
      'POST /api/presets/': (c: { body: unknown }) => ({ id: 9, cookies: '', ...(c.body as object) }),
      'PATCH /api/presets/9': (c: { body: unknown }) => ({ id: 9, name: 'audio', cookies: '# jar', ...(c.body as object) }),
      'DELETE /api/presets/9': { id: 9 },
    })
    const presets = usePresetsStore()
    await presets.create({ name: 'audio', cli: '-x' })
    expect(presets.byId['9']).toEqual({ id: 9, name: 'audio', cli: '-x', has_cookies: false })
    await presets.patch(9, { cli: '-x --audio-format mp3' })
    expect(presets.byId['9']).toMatchObject({ cli: '-x --audio-format mp3', has_cookies: true })
    expect(presets.byId['9']).not.toHaveProperty('cookies')
    await presets.remove(9)
    expect(presets.list).toEqual([])
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PATCH', 'DELETE'])
    expect(calls[1]?.body).toEqual({ cli: '-x --audio-format mp3' })
  })
})
