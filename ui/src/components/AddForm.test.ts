import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useFieldsStore, usePresetsStore } from '@/stores/resources'
import { useToastsStore } from '@/stores/toasts'
import { flush, jsonResponse, mockFetch } from '@/testing'
import AddForm from '@/components/AddForm.vue'

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
})

const byTestId = (id: string) => `[data-testid="${id}"]`

describe('AddForm', () => {
  it('posts one item per line with the chosen preset and toasts the refused ones', async () => {
    const { calls } = mockFetch({
      'POST /api/history': [
        { status: 'queued', msg: null, item: { url: 'https://a/1' } },
        { status: false, msg: 'Unsupported URL: https://b/2', item: { url: 'https://b/2' } },
      ],
    })
    usePresetsStore().replaceAll([{ id: 1, name: 'default', default: true }, { id: 2, name: 'audio' }])
    useFieldsStore().replaceAll([{ id: 1, name: 'No playlist', field: '--no-playlist', kind: 'bool' }])
    const wrapper = mount(AddForm)
    await wrapper.get(byTestId('add-url')).setValue('https://a/1\nhttps://b/2')
    await wrapper.get(byTestId('add-preset')).setValue('audio')
    await wrapper.get('#dlf-1').setValue(true)
    await wrapper.get('form').trigger('submit')
    await flush()

    expect(calls[0]?.body).toEqual([
      { url: 'https://a/1', auto_start: true, preset: 'audio', cli: '--no-playlist' },
      { url: 'https://b/2', auto_start: true, preset: 'audio', cli: '--no-playlist' },
    ])
    expect(useToastsStore().list.map((t) => t.message)).toEqual(['Unsupported URL: https://b/2'])
    // A refused URL stays in the box so it can be fixed.
    expect((wrapper.get(byTestId('add-url')).element as HTMLTextAreaElement).value).toBe('https://b/2')
  })

  it('clears the URLs once all are queued', async () => {
    mockFetch({ 'POST /api/history': [{ status: 'queued', msg: null, item: {} }] })
    const wrapper = mount(AddForm)
    await wrapper.get(byTestId('add-url')).setValue('https://a/1')
    await wrapper.get('form').trigger('submit')
    await flush()
    expect((wrapper.get(byTestId('add-url')).element as HTMLTextAreaElement).value).toBe('')
  })

  it('shows the server error under the form', async () => {
    mockFetch({ 'POST /api/history': jsonResponse(400, { error: 'url is required.' }) })
    const wrapper = mount(AddForm)
    await wrapper.get(byTestId('add-url')).setValue('x')
    await wrapper.get('form').trigger('submit')
    await flush()
    expect(wrapper.get(byTestId('add-error')).text()).toBe('url is required.')
  })

  it('adds the pasted link on Enter; Shift+Enter and a composition only edit the box', async () => {
    const { calls } = mockFetch({ 'POST /api/history': [{ status: 'queued', msg: null, item: {} }] })
    const wrapper = mount(AddForm)
    const box = wrapper.get(byTestId('add-url'))
    await box.setValue('https://a/1')
    const shift = await box.trigger('keydown', { key: 'Enter', shiftKey: true })
    const composing = await box.trigger('keydown', { key: 'Enter', isComposing: true })
    await flush()
    expect(shift).toBeUndefined()
    expect(composing).toBeUndefined()
    expect(calls).toHaveLength(0)

    const enter = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true })
    box.element.dispatchEvent(enter)
    await flush()
    expect(enter.defaultPrevented).toBe(true) // no new line in the box
    expect(calls.map((c) => c.body)).toEqual([[{ url: 'https://a/1', auto_start: true }]])
    expect((box.element as HTMLTextAreaElement).value).toBe('')
  })
})
