import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createAppRouter } from '@/router'
import { flush, mockFetch } from '@/testing'
import LibraryView from '@/views/LibraryView.vue'

beforeEach(() => setActivePinia(createPinia()))

const id = (name: string) => `[data-testid="${name}"]`
const PAGE = { page: 1, per_page: 24, total: 1, total_pages: 1, has_next: false, has_prev: false }
const INDEX = { running: false, done: 0, total: 0, indexed: true }

function video(videoId: string, title: string) {
  return {
    video_id: videoId, title, channel_name: 'Fixture Channel', published: '2024-01-15',
    downloaded: '2026-12-02T10:00:00+00:00', file: `${videoId}.mp4`, description: 'The plain case.',
  }
}

async function mounted(routes: Parameters<typeof mockFetch>[0]) {
  const fetched = mockFetch({ 'GET /api/library/index': INDEX, ...routes })
  const router = createAppRouter(createMemoryHistory())
  await router.push('/library')
  const wrapper = mount(LibraryView, { global: { plugins: [router] } })
  await flush()
  return { wrapper, router, ...fetched }
}

describe('LibraryView', () => {
  it('lists the newest videos, then searches as you type and offers respellings', async () => {
    const { wrapper, calls } = await mounted({
      'GET /api/library/videos': { items: [video('v-basic', 'Basic fixture video')], pagination: PAGE },
      'GET /api/library/search': (c: { url: URL }) =>
        c.url.searchParams.get('q') === 'fixtrue'
          ? { items: [], pagination: { ...PAGE, total: 0, total_pages: 0 }, suggestions: ['fixture'] }
          : { items: [{ video: video('v-basic', 'Basic fixture video'), rank: -1, snippet: 'The plain case.' }], pagination: PAGE, suggestions: [] },
    })
    expect(wrapper.findAll(id('library-item')).map((w) => w.attributes('data-id'))).toEqual(['v-basic'])
    vi.useFakeTimers() // the search waits for a pause in the typing
    try {
      await wrapper.get(id('library-search')).setValue('fixtrue')
      await vi.advanceTimersByTimeAsync(300)
      expect(wrapper.get(id('library-empty')).text()).toBe('No video matches.')
      await wrapper.get(id('library-suggestion')).trigger('click')
      await vi.advanceTimersByTimeAsync(300)
    } finally {
      vi.useRealTimers()
    }
    const searches = calls.filter((c) => c.url.pathname === '/api/library/search').map((c) => c.url.searchParams.get('q'))
    expect(searches).toEqual(['fixtrue', 'fixture'])
    expect(wrapper.get(id('library-item')).text()).toContain('The plain case.')
  })

  it('opens a video from the address and saves where you are', async () => {
    const { wrapper, router, calls } = await mounted({
      'GET /api/library/videos': { items: [video('v-basic', 'Basic fixture video')], pagination: PAGE },
      'GET /api/library/videos/v-basic': video('v-basic', 'Basic fixture video'),
      'GET /api/library/videos/v-basic/progress': { video_id: 'v-basic', user_id: 1, position: 1.5, watched: false },
      'POST /api/library/videos/v-basic/progress': (c: { body: unknown }) => ({ video_id: 'v-basic', user_id: 1, watched: false, ...(c.body as object) }),
    })
    await wrapper.get(id('library-title')).trigger('click')
    await flush()
    await flush()
    expect(router.currentRoute.value.query.video).toBe('v-basic')
    const player = wrapper.get(id('library-player'))
    expect(player.get('video').attributes('src')).toContain('api/download/v-basic.mp4')
    await player.get('video').trigger('loadedmetadata')
    await flush()
    await player.get('video').trigger('pause')
    await flush()
    const saved = calls.filter((c) => c.method === 'POST')
    expect(saved.map((c) => c.url.pathname)).toEqual(['/api/library/videos/v-basic/progress'])
    await wrapper.get(id('library-close')).trigger('click')
    await flush()
    expect(router.currentRoute.value.query.video).toBeUndefined()
  })
})
