import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { addSharedLink } from '@/composables/shareTarget'
import { useToastsStore } from '@/stores/toasts'
import { flush, mockFetch } from '@/testing'

beforeEach(() => {
  setActivePinia(createPinia())
  window.history.replaceState(null, '', '/')
})

describe('addSharedLink', () => {
  it('queues the first link of a share with the default preset, once', async () => {
    const { calls } = mockFetch({ 'POST /api/history': [{ status: 'queued', msg: null, item: {} }] })
    window.history.replaceState(null, '', '/?title=Clip&text=Watch+https%3A%2F%2Fv.example%2F1+now#/')
    await addSharedLink()
    await flush()
    expect(calls.map((c) => c.body)).toEqual([[{ url: 'https://v.example/1', auto_start: true }]])
    expect(window.location.search).toBe('')
    expect(window.location.hash).toBe('#/')
    expect(useToastsStore().list.map((t) => [t.level, t.title])).toEqual([['success', 'Added to the queue']])
    await addSharedLink() // a reload: nothing left to add
    expect(calls).toHaveLength(1)
  })

  it('toasts the server’s refusal and a share without a link', async () => {
    const { calls } = mockFetch({ 'POST /api/history': [{ status: false, msg: 'URL refused.', item: null }] })
    window.history.replaceState(null, '', '/?url=https%3A%2F%2Fv.example%2F2')
    await addSharedLink()
    window.history.replaceState(null, '', '/?text=no+link')
    await addSharedLink()
    expect(calls).toHaveLength(1)
    expect(useToastsStore().list.map((t) => [t.level, t.message])).toEqual([
      ['error', 'URL refused.'],
      ['warning', 'The shared text holds no http(s) link to download.'],
    ])
  })

  it('does nothing on an ordinary load', async () => {
    const { calls } = mockFetch({})
    await addSharedLink()
    expect(calls).toHaveLength(0)
    expect(useToastsStore().list).toHaveLength(0)
  })
})
