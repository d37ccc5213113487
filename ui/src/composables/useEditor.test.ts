import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Condition, PresetFields } from '@/api/types'
import { changedFields, useEditor } from '@/composables/useEditor'
import { useConditionsStore, usePresetsStore } from '@/stores/resources'
import { jsonResponse, mockFetch } from '@/testing'

beforeEach(() => setActivePinia(createPinia()))

const blank = (): PresetFields => ({ name: '', cli: '', cookies: '' })

describe('useEditor', () => {
  it('keeps the form open with the server validation message', async () => {
    mockFetch({ 'POST /api/presets/': jsonResponse(400, { error: "Invalid yt-dlp option '--nope'." }) })
    const editor = useEditor(usePresetsStore(), { blank })
    editor.create()
    editor.draft.value.name = 'broken'
    editor.draft.value.cli = '--nope'
    expect(await editor.save()).toBe(false)
    expect(editor.error.value).toBe("Invalid yt-dlp option '--nope'.")
    expect(editor.editing.value).toBe('new')
  })

  it('edits a copy of the full object and closes after saving', async () => {
    mockFetch({
      'GET /api/presets/3': { id: 3, name: 'video', cli: '-f best', cookies: '' },
      'PATCH /api/presets/3': (c: { body: unknown }) => ({ id: 3, name: 'video', cli: '-f best', ...(c.body as object) }),
    })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: 3, name: 'video', cli: '-f best', has_cookies: false }])
    const editor = useEditor(presets, { blank })
    await editor.edit(presets.byId['3']!)
    editor.draft.value.cli = '-f worst'
    expect(presets.byId['3']?.cli).toBe('-f best')
    expect(await editor.save()).toBe(true)
    expect(presets.byId['3']?.cli).toBe('-f worst')
    expect(editor.editing.value).toBeNull()
  })

  // The bug: lists carry has_cookies, not cookies, and saving the list entry back with a
  // full replace sent "cookies": "" and erased them.
  it('keeps the cookies of an edited preset: reads the full object, patches what changed', async () => {
    const { calls } = mockFetch({
      'GET /api/presets/7': { id: 7, name: 'members', cli: '-f b', cookies: '# Netscape HTTP Cookie File', download_archive: 'seen.txt' },
      'PATCH /api/presets/7': (c: { body: unknown }) => ({ id: 7, name: 'members', cookies: '# Netscape HTTP Cookie File', ...(c.body as object) }),
    })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: 7, name: 'members', cli: '-f b', has_cookies: true, download_archive: 'seen.txt' }])
    const editor = useEditor(presets, { blank })
    await editor.edit(presets.byId['7']!)
    expect(editor.draft.value.cookies).toBe('# Netscape HTTP Cookie File')
    editor.draft.value.cli = '-f w'
    expect(await editor.save()).toBe(true)
    const patch = calls.find((c) => c.method === 'PATCH')
    expect(patch?.body).toEqual({ cli: '-f w' })
    expect(calls.some((c) => c.method === 'PUT')).toBe(false)
  })

  it('sends a condition\'s extras with their cookies, never has_cookies', async () => {
    const full: Condition = { id: 2, name: 'long', filter: 'duration > 600', extras: { cookies: 'jar', skip: false } }
    const { calls } = mockFetch({
      'GET /api/conditions/2': full,
      'PATCH /api/conditions/2': (c: { body: unknown }) => ({ ...full, ...(c.body as object) }),
    })
    const conditions = useConditionsStore()
    conditions.replaceAll([{ id: 2, name: 'long', filter: 'duration > 600', extras: { has_cookies: true, skip: false } }])
    const editor = useEditor(conditions, { blank: () => ({ name: '', filter: '', extras: {} }) })
    await editor.edit(conditions.byId['2']!)
    editor.draft.value.extras = { ...editor.draft.value.extras, skip: true }
    await editor.save()
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ extras: { cookies: 'jar', skip: true } })
    expect(conditions.byId['2']?.extras).toEqual({ has_cookies: true, skip: true })
  })

  it('copies a built-in with its full fields, as a new object', async () => {
    const { calls } = mockFetch({
      'GET /api/presets/-1': { id: -1, name: 'default', cli: '-f bv+ba', cookies: '', default: true },
      'POST /api/presets/': (c: { body: unknown }) => ({ id: 5, ...(c.body as object) }),
    })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: -1, name: 'default', default: true, has_cookies: false }])
    const editor = useEditor(presets, { blank })
    await editor.copy(presets.byId['-1']!)
    expect(editor.editing.value).toBe('new')
    expect(editor.readonly.value).toBe(false)
    await editor.save()
    expect(calls.at(-1)?.body).toEqual({ name: 'default copy', cli: '-f bv+ba', cookies: '' })
  })

  it('opens a built-in read-only', async () => {
    mockFetch({ 'GET /api/presets/-1': { id: -1, name: 'default', default: true } })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: -1, name: 'default', default: true }])
    const editor = useEditor(presets, { blank })
    await editor.edit(presets.byId['-1']!)
    expect(editor.readonly.value).toBe(true)
  })

  it('does not open what it cannot read, and says why above the list', async () => {
    mockFetch({ 'GET /api/presets/8': jsonResponse(404, { error: "Preset '8' not found." }) })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: 8, name: 'gone' }])
    const editor = useEditor(presets, { blank })
    await editor.edit(presets.byId['8']!)
    expect(editor.editing.value).toBeNull()
    expect(editor.listError.value).toBe("Could not open gone: Preset '8' not found.")
  })

  it('stops a save with the message of prepare', async () => {
    const { calls } = mockFetch({})
    const editor = useEditor(usePresetsStore(), { blank, prepare: () => 'Extras must be a JSON object.' })
    editor.create()
    expect(await editor.save()).toBe(false)
    expect(editor.error.value).toBe('Extras must be a JSON object.')
    expect(calls).toHaveLength(0)
  })

  it('reports a refused delete above the list', async () => {
    mockFetch({ 'DELETE /api/presets/1': jsonResponse(400, { error: 'Default presets cannot be deleted.' }) })
    const presets = usePresetsStore()
    presets.replaceAll([{ id: 1, name: 'default', default: true }])
    const editor = useEditor(presets, { blank })
    await editor.remove(presets.byId['1']!)
    expect(editor.listError.value).toBe('Default presets cannot be deleted.')
    expect(presets.list).toHaveLength(1)
  })
})

describe('changedFields', () => {
  it('keeps only the fields that differ, comparing nested values', () => {
    expect(changedFields({ a: 1, b: { c: [1] }, d: '' }, { a: 1, b: { c: [1] }, d: 'x' })).toEqual({ d: 'x' })
    expect(changedFields({ b: { c: [1] } }, { b: { c: [2] } })).toEqual({ b: { c: [2] } })
  })
})
