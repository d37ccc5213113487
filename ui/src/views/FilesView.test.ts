import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { mockFetch } from '@/testing'
import { useSystemStore } from '@/stores/system'
import FilesView from '@/views/FilesView.vue'

beforeEach(() => setActivePinia(createPinia()))

const id = (name: string) => `[data-testid="${name}"]`
const entry = (name: string, kind: string, isDir = false) => ({
  type: isDir ? 'dir' : 'file', content_type: kind, name, path: `/sub/${name}`, size: 2048,
  mime: isDir ? 'directory' : 'video/mp4', mtime: '2026-01-01T00:00:00+00:00',
  ctime: '2026-01-01T00:00:00+00:00', is_dir: isDir, is_file: !isDir, is_symlink: false,
})
const LISTING = {
  path: '/sub',
  contents: [entry('inner', 'dir', true), entry('clip.mp4', 'video'), entry('clip.en.vtt', 'subtitle')],
  pagination: { page: 1, per_page: 50, total: 3, total_pages: 1, has_next: false, has_prev: false },
}

async function mountAt(path: string, withWatch: boolean) {
  const stub = { template: '<div />' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/files/:path(.*)*', name: 'files', component: FilesView },
      ...(withWatch ? [{ path: '/watch', name: 'watch', component: stub }] : []),
    ],
  })
  await router.push(path)
  const wrapper = mount(FilesView, { global: { plugins: [router] } })
  await flushPromises()
  return wrapper
}

describe('FilesView', () => {
  it('lists the folder of its address, with Play for videos when the watch page exists', async () => {
    const { calls } = mockFetch({ 'GET /api/file/browser/sub': LISTING })
    const wrapper = await mountAt('/files/sub', true)
    expect(wrapper.findAll(id('file-row')).map((r) => r.attributes('data-name'))).toEqual(['inner', 'clip.mp4', 'clip.en.vtt'])
    const query = calls[0]!.url.searchParams
    expect([query.get('page'), query.get('sort_by'), query.get('sort_order')]).toEqual(['1', 'name', 'asc'])
    const play = wrapper.findAll(id('file-play'))
    expect(play).toHaveLength(1)
    expect(play[0]!.attributes('href')).toBe('/watch?file=sub/clip.mp4')
    expect(wrapper.find(id('file-rename')).exists()).toBe(false) // controls are off
  })

  it('has no Play link without a watch page, and actions when the server allows them', async () => {
    useSystemStore().app = { browser_control_enabled: true }
    const { calls } = mockFetch({
      'GET /api/file/browser/sub': LISTING,
      'POST /api/file/actions': [{ path: '/sub/clip.mp4', action: 'rename', ok: true, status: true, error: null }],
    })
    const wrapper = await mountAt('/files/sub', false)
    expect(wrapper.find(id('file-play')).exists()).toBe(false)
    const row = wrapper.findAll(id('file-row'))[1]!
    await row.get(id('file-rename')).trigger('click')
    await wrapper.get(id('file-rename-input')).setValue('new.mp4')
    await wrapper.get(id('file-rename-save')).trigger('submit')
    await flushPromises()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toEqual([{ action: 'rename', path: '/sub/clip.mp4', new_name: 'new.mp4' }])
  })

  it('says so when the browser is disabled', async () => {
    mockFetch({ 'GET /api/file/browser/sub': () => new Response('{"error":"File browser is disabled."}', { status: 403 }) })
    const wrapper = await mountAt('/files/sub', false)
    expect(wrapper.get(id('files-error')).text()).toContain('disabled')
  })
})
