import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ItemThumb from '@/components/ItemThumb.vue'

afterEach(() => document.querySelectorAll('base').forEach((base) => base.remove()))

describe('ItemThumb', () => {
  it('loads a remote thumbnail through the server under its base path', () => {
    const base = document.createElement('base')
    base.href = 'http://tube.example/sub/'
    document.head.append(base)
    const wrapper = mount(ItemThumb, { props: { src: 'https://i.example/v/1.jpg?x=1&y=2' } })
    const src = new URL(wrapper.get('img').attributes('src')!)
    expect(src.origin + src.pathname).toBe('http://tube.example/sub/api/thumbnail')
    expect(src.searchParams.get('url')).toBe('https://i.example/v/1.jpg?x=1&y=2')
  })

  it('shows a placeholder without a usable URL, or when the image fails', async () => {
    for (const src of [null, '', 'data:image/png;base64,AAAA', 'javascript:alert(1)', '/local.jpg']) {
      expect(mount(ItemThumb, { props: { src } }).find('img').exists()).toBe(false)
    }
    const wrapper = mount(ItemThumb, { props: { src: 'https://i.example/a.jpg' } })
    await wrapper.get('img').trigger('error')
    expect(wrapper.find('img').exists()).toBe(false)
    await wrapper.setProps({ src: 'https://i.example/b.jpg' }) // another item: try again
    expect(wrapper.find('img').exists()).toBe(true)
  })
})
