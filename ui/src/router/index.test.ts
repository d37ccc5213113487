import { describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { createAppRouter, NAV } from '@/router'

describe('router', () => {
  it('maps addresses to pages and falls back to downloads', async () => {
    const router = createAppRouter(createMemoryHistory())
    const at = async (path: string) => {
      await router.push(path)
      return router.currentRoute.value.name
    }
    expect(await at('/presets')).toBe('presets')
    expect(await at('/logs')).toBe('logs')
    expect(await at('/terminal')).toBe('terminal')
    expect(await at('/help?x=1')).toBe('help')
    expect(await at('/files')).toBe('files')
    expect(await at('/files/a%20b/c')).toBe('files')
    expect(router.currentRoute.value.params.path).toEqual(['a b', 'c'])
    expect(await at('/watch?file=a%2Fb.mp4')).toBe('watch')
    expect(router.currentRoute.value.query.file).toBe('a/b.mp4')
    expect(await at('/nope')).toBe('downloads')
    expect(router.currentRoute.value.path).toBe('/downloads')
    await router.push('/help')
    expect(await at('/')).toBe('downloads')
    expect(router.currentRoute.value.path).toBe('/')
  })

  it('shows the terminal only with the console on, the logs unless file logging is off', () => {
    const shown = (app: Record<string, unknown>) => NAV.filter((page) => !page.when || page.when(app)).map((page) => page.name)
    expect(shown({})).not.toContain('terminal')
    expect(shown({})).toContain('logs')
    expect(shown({ console_enabled: true, file_logging: false })).toContain('terminal')
    expect(shown({ console_enabled: true, file_logging: false })).not.toContain('logs')
  })

  it('lists every named page in the navigation', () => {
    expect(NAV.map((page) => page.name)).toEqual(['downloads', 'presets', 'conditions', 'fields', 'library', 'tasks', 'definitions', 'notifications', 'files', 'keys', 'logs', 'terminal', 'help'])
  })
})
