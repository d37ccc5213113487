import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useEditor } from '@/composables/editor'
import { jsonResponse, mockFetch } from '@/testing'
import type { Preset } from '@/api/types'
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

  it('creates, updates and deletes, keeping the list current', async () => {
    const { calls } = mockFetch({
      'POST /api/presets/': (c: { body: unknown }) => ({ id: 9, ...(c.body as object) }),
      'PUT /api/presets/9': (c: { body: unknown }) => ({ id: 9, ...(c.body as object) }),
      'DELETE /api/presets/9': { id: 9 },
    })
    const presets = usePresetsStore()
    await presets.create({ name: 'audio', cli: '-x' })
    expect(presets.byId['9']?.name).toBe('audio')
    await presets.update(9, { name: 'audio', cli: '-x --audio-format mp3' })
    expect(presets.byId['9']?.cli).toBe('-x --audio-format mp3')
    await presets.remove(9)
    expect(presets.list).toEqual([])
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PUT', 'DELETE'])
  })
})

describe('useEditor', () => {
  const blank = (): Omit<Preset, 'id'> => ({ name: '', cli: '' })

  it('keeps the form open with the server validation message', async () => {
    mockFetch({ 'POST /api/presets/': jsonResponse(400, { error: "Invalid yt-dlp option '--nope'." }) })
    const editor = useEditor<Preset>(usePresetsStore(), blank)
    editor.open()
    editor.draft.value.name = 'broken'
    editor.draft.value.cli = '--nope'
    expect(await editor.save()).toBe(false)
    expect(editor.error.value).toBe("Invalid yt-dlp option '--nope'.")
    expect(editor.editing.value).toBe('new')
  })

  it('edits a copy and closes after saving', async () => {
    mockFetch({ 'PUT /api/presets/3': (c: { body: unknown }) => ({ id: 3, ...(c.body as object) }) })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: 3, name: 'video', cli: '-f best' }])
    const editor = useEditor<Preset>(presets, blank)
    editor.open(presets.byId['3'])
    editor.draft.value.cli = '-f worst'
    expect(presets.byId['3']?.cli).toBe('-f best')
    expect(await editor.save()).toBe(true)
    expect(presets.byId['3']?.cli).toBe('-f worst')
    expect(editor.editing.value).toBeNull()
  })

  it('reports a refused delete above the list', async () => {
    mockFetch({ 'DELETE /api/presets/1': jsonResponse(400, { error: 'Default presets cannot be deleted.' }) })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: 1, name: 'default', default: true }])
    const editor = useEditor<Preset>(presets, blank)
    await editor.remove(presets.byId['1']!)
    expect(editor.listError.value).toBe('Default presets cannot be deleted.')
    expect(presets.list).toHaveLength(1)
  })
})
