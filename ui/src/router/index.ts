// The pages and their addresses. Hash history (`#/presets`): the server serves index.html at
// the base path only (app/system/ui.py), and `<base path>/#/presets` reloads to the same page
// under any YTP_BASE_PATH without a server-side fallback route or knowing the base path here.
import { createRouter, createWebHashHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router'
import type { AppInfo } from '@/api/types'
import DownloadsView from '@/views/DownloadsView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's name in the navigation bar. */
    label?: string
  }
}

interface Page {
  /** Route name, path (`/<name>`) and test id (`nav-<name>`). */
  name: string
  label: string
  component: RouteRecordRaw['component']
  /** Whether the navigation shows it, from the server's configuration (always, if absent). */
  when?: (app: Partial<AppInfo>) => boolean
}

// The first page is part of the main bundle; the others load when first opened.
const PAGES: Page[] = [
  { name: 'downloads', label: 'Downloads', component: DownloadsView },
  { name: 'presets', label: 'Presets', component: () => import('@/views/PresetsView.vue') },
  { name: 'conditions', label: 'Conditions', component: () => import('@/views/ConditionsView.vue') },
  { name: 'fields', label: 'Download fields', component: () => import('@/views/FieldsView.vue') },
  { name: 'library', label: 'Library', component: () => import('@/views/LibraryView.vue') },
  { name: 'tasks', label: 'Tasks', component: () => import('@/views/TasksView.vue') },
  { name: 'definitions', label: 'Task definitions', component: () => import('@/views/DefinitionsView.vue') },
  { name: 'notifications', label: 'Notifications', component: () => import('@/views/NotificationsView.vue') },
  {
    name: 'files', label: 'Files', component: () => import('@/views/FilesView.vue'),
    when: (app) => app.browser_enabled !== false,
  },
  { name: 'keys', label: 'API keys', component: () => import('@/views/KeysView.vue') },
  {
    name: 'logs', label: 'Logs', component: () => import('@/views/LogsView.vue'),
    when: (app) => app.file_logging !== false,
  },
  {
    name: 'terminal', label: 'Terminal', component: () => import('@/views/TerminalView.vue'),
    when: (app) => app.console_enabled === true,
  },
  { name: 'help', label: 'Help', component: () => import('@/views/HelpView.vue') },
]

// Pages whose address holds more than their name: the file browser's folder.
const PATHS: Record<string, string> = { files: '/files/:path(.*)*' }

/** The pages shown in the navigation bar, in order. */
export const NAV = PAGES.map(({ name, label, when }) => ({ name, label, when }))

export const routes: RouteRecordRaw[] = [
  ...PAGES.map(({ name, label, component }): RouteRecordRaw => ({
    path: PATHS[name] ?? `/${name}`, name, component: component!, meta: { label },
    // The app's own address ("/" or the bare base path) shows the first page as it is.
    ...(name === 'downloads' ? { alias: '/' } : {}),
  })),
  // Not in the navigation: opened from a finished download (`?file=` relative to the download root).
  { path: '/watch', name: 'watch', component: () => import('@/views/WatchView.vue'), meta: { label: 'Watch' } },
  { path: '/:unknown(.*)*', redirect: { name: 'downloads' } },
]

export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  return createRouter({ history, routes })
}
