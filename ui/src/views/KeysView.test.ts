import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { flush, jsonResponse, mockFetch } from '@/testing'
import KeysView from '@/views/KeysView.vue'

beforeEach(() => setActivePinia(createPinia()))

const id = (name: string) => `[data-testid="${name}"]`
const admin = { id: 1, name: 'admin', role: 'admin', permissions: [], prefix: 'ytp_abcdefgh', created_at: 1 }

describe('KeysView', () => {
  it('lists keys and shows a new key once', async () => {
    const listed = [admin]
    const { calls } = mockFetch({
      'GET /api/keys': () => listed,
      'POST /api/keys': (call: { body: { name: string } }) => {
        const item = { ...admin, id: 2, name: call.body.name, role: 'downloader', prefix: 'ytp_12345678' }
        listed.push(item)
        return jsonResponse(201, { key: 'ytp_12345678secret', item })
      },
    })
    const wrapper = mount(KeysView)
    await flush()
    expect(wrapper.findAll(id('key-item'))).toHaveLength(1)
    await wrapper.get(id('key-name')).setValue('phone')
    await wrapper.get(id('key-form')).trigger('submit')
    await flush()
    expect((wrapper.get(id('key-secret')).element as HTMLInputElement).value).toBe('ytp_12345678secret')
    expect(wrapper.findAll(id('key-item'))).toHaveLength(2)
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'phone', role: 'downloader', permissions: [] })
    await wrapper.get(id('key-created-close')).trigger('click')
    expect(wrapper.find(id('key-secret')).exists()).toBe(false)
  })

  it('revokes after asking, and shows the server refusal', async () => {
    const { calls } = mockFetch({
      'GET /api/keys': [admin],
      'DELETE /api/keys/1': jsonResponse(403, { error: "This key may not do that (it needs the 'admin' permission)." }),
    })
    const wrapper = mount(KeysView)
    await flush()
    await wrapper.get(id('key-revoke')).trigger('click')
    await wrapper.get(id('key-revoke-confirm')).trigger('click')
    await flush()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true)
    expect(wrapper.get(id('keys-error')).text()).toContain("needs the 'admin' permission")
  })
})
