import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAppRouter } from '@/router'
import { flush, mockFetch } from '@/testing'
import WatchView from '@/views/WatchView.vue'

beforeEach(() => {
  setActivePinia(createPinia())
  // jsdom has no Media Source Extensions: the view takes the browser's own HLS (Safari's way).
  vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockReturnValue('maybe')
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {})
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => {})
})
afterEach(() => vi.restoreAllMocks())

const PLAYER = '[data-testid="player-video"]'
const VIDEO = {
  video_id: 'v-basic', title: 'Basic fixture video', channel_name: 'Fixture Channel', published: '2024-01-15',
  downloaded: '2026-12-02T10:00:00+00:00', file: 'sub/v-basic.mp4', description: '',
}

async function mounted(address: string, routes: Parameters<typeof mockFetch>[0]) {
  const fetched = mockFetch(routes)
  const router = createAppRouter(createMemoryHistory())
  await router.push(address)
  const wrapper = mount(WatchView, { global: { plugins: [router] } })
  await flush()
  await flush()
  return { wrapper, ...fetched }
}

const progressCalls = (calls: { method: string; url: URL }[]) =>
  calls.filter((c) => c.url.pathname.endsWith('/progress')).map((c) => `${c.method} ${c.url.pathname}`)

describe('WatchView', () => {
  it('resumes a library video and saves where you are to the library', async () => {
    const { wrapper, calls } = await mounted('/watch?file=sub%2Fv-basic.mp4&video=v-basic', {
      'GET /api/library/videos/v-basic': VIDEO,
      'GET /api/library/videos/v-basic/progress': { video_id: 'v-basic', user_id: 1, position: 1.5, watched: false },
      'POST /api/library/videos/v-basic/progress': (c: { body: unknown }) => ({ video_id: 'v-basic', user_id: 1, watched: false, ...(c.body as object) }),
    })
    const player = wrapper.get(PLAYER)
    expect(player.attributes('src')).toContain('/api/player/playlist/sub/v-basic.mp4.m3u8')
    await player.trigger('loadedmetadata')
    await flush()
    await player.trigger('pause')
    await flush()
    expect(progressCalls(calls)).toEqual([
      'GET /api/library/videos/v-basic/progress',
      'POST /api/library/videos/v-basic/progress',
    ])
    const saved = calls.find((c) => c.method === 'POST')!
    expect(typeof (saved.body as { position: number }).position).toBe('number')
    wrapper.unmount() // leaving saves once more, while the file is still loaded
    await flush()
    expect(progressCalls(calls).filter((c) => c.startsWith('POST'))).toHaveLength(2)
  })

  it('records nothing for a file that is not that library video, or without one', async () => {
    for (const address of [
      '/watch?file=other.mp4&video=v-basic', // the library video is another file
      '/watch?file=sub%2Fv-basic.mp4&video=v-gone', // not in the library: 404
      '/watch?file=sub%2Fv-basic.mp4', // no video id, and no library video of this file
      '/watch?file=other.mp4', // the library answers with another file's video
    ]) {
      const { wrapper, calls } = await mounted(address, {
        'GET /api/library/videos/v-basic': VIDEO,
        'GET /api/library/videos': (c: { url: URL }) => ({
          pagination: { page: 1, per_page: 1, total: 0, total_pages: 1, has_next: false, has_prev: false },
          items: c.url.searchParams.get('file') === 'other.mp4' ? [VIDEO] : [],
        }),
      })
      const player = wrapper.get(PLAYER)
      await player.trigger('loadedmetadata')
      await player.trigger('pause')
      await player.trigger('ended')
      await flush()
      expect(progressCalls(calls)).toEqual([])
      wrapper.unmount()
    }
  })

  it("finds the library video of a file played from the Files page and saves there", async () => {
    const { wrapper, calls } = await mounted('/watch?file=sub%2Fv-basic.mp4', {
      'GET /api/library/videos': (c: { url: URL }) => ({
        pagination: { page: 1, per_page: 1, total: 1, total_pages: 1, has_next: false, has_prev: false },
        items: c.url.searchParams.get('file') === 'sub/v-basic.mp4' ? [VIDEO] : [],
      }),
      'GET /api/library/videos/v-basic/progress': { video_id: 'v-basic', user_id: 1, position: 0, watched: false },
      'POST /api/library/videos/v-basic/progress': (c: { body: unknown }) => ({ video_id: 'v-basic', user_id: 1, watched: false, ...(c.body as object) }),
    })
    const asked = calls.find((c) => c.url.pathname === '/api/library/videos')!
    expect(asked.url.searchParams.get('file')).toBe('sub/v-basic.mp4')
    const player = wrapper.get(PLAYER)
    await player.trigger('loadedmetadata')
    await flush()
    await player.trigger('pause')
    await flush()
    expect(progressCalls(calls)).toEqual([
      'GET /api/library/videos/v-basic/progress',
      'POST /api/library/videos/v-basic/progress',
    ])
    wrapper.unmount()
  })
})
