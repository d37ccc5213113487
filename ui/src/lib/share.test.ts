import { describe, expect, it } from 'vitest'
import { firstUrl, sharedLink, withoutShare } from '@/lib/share'

describe('firstUrl', () => {
  it.each([
    ['https://example.com/watch?v=1', 'https://example.com/watch?v=1'],
    ['Look at this: https://example.com/v/2 !', 'https://example.com/v/2'],
    ['two links http://a.example/1 https://b.example/2', 'http://a.example/1'],
    ['(see https://example.com/x).', 'https://example.com/x'],
    ['https://en.wikipedia.org/wiki/Tube_(film)', 'https://en.wikipedia.org/wiki/Tube_(film)'],
    ['"https://example.com/q?a=1&b=2", said someone', 'https://example.com/q?a=1&b=2'],
    ['HTTPS://EXAMPLE.COM/Up', 'https://example.com/Up'],
  ])('finds the link in %j', (text, url) => {
    expect(firstUrl(text)).toBe(url)
  })

  it.each(['', 'no link here', 'ftp://example.com/file', 'javascript:alert(1)', 'https://'])(
    'finds none in %j',
    (text) => {
      expect(firstUrl(text)).toBeNull()
    },
  )
})

describe('sharedLink', () => {
  it('takes the url parameter first, then text, then title', () => {
    const query = new URLSearchParams({ title: 'https://t.example/', text: 'see https://x.example/a', url: '' })
    expect(sharedLink(query)).toEqual({ shared: true, url: 'https://x.example/a' })
    expect(sharedLink(new URLSearchParams({ url: 'https://u.example/' }))).toEqual({ shared: true, url: 'https://u.example/' })
  })

  it('tells a share without a link from no share at all', () => {
    expect(sharedLink(new URLSearchParams({ text: 'just words' }))).toEqual({ shared: true, url: null })
    expect(sharedLink(new URLSearchParams({ other: 'https://x.example/' }))).toEqual({ shared: false, url: null })
  })
})

describe('withoutShare', () => {
  it('drops the share parameters and keeps the rest and the hash', () => {
    const location = { pathname: '/tube/', search: '?url=https%3A%2F%2Fx&keep=1&text=a', hash: '#/presets' }
    expect(withoutShare(location)).toBe('/tube/?keep=1#/presets')
    expect(withoutShare({ pathname: '/', search: '?title=a', hash: '' })).toBe('/')
  })
})
