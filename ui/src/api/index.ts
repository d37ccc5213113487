// The typed client of the public API: every HTTP call of the UI goes through `api`.
import { apiUrl, request } from '@/api/client'
import { resource } from '@/api/resource'
import type {
  AddRequest, AddResult, Condition, ConditionEntry, ConditionFields, ConditionTestRequest, ConditionTestResult,
  DlField, DlFieldEntry, DlFieldFields, HistoryQuery, Item, LiveState, Notification, NotificationEntry,
  NotificationEvents, NotificationFields, NotificationTestResults, Paged, Preset, PresetEntry, PresetFields,
  InspectDefinitionRequest, InspectDefinitionResult, LogPage, SystemConfig, UpdateCheck, TaskDefinition, TaskDefinitionEntry,
  TaskDefinitionFields, YtdlpOption, Message, Task, TaskEntry, TaskFields, TaskInspectRequest, TaskInspectResult,
  TaskMetadata, TaskRunResult, FileActionRequest, FileActionResult, FileListing, FileQuery, FileZipToken,
  ApiKey, KeyCreated, KeyRequest, LibraryIndex, LibrarySearch, LibraryVideo, WatchProgress,
} from '@/api/types'

export { ApiError, apiUrl, downloadUrl, thumbnailUrl, wsUrl } from '@/api/client'

const ids = (list: string[]) => ({ ids: list })

/** A path from the download root as a URL path: each segment encoded, the slashes kept. */
export const encodePath = (path: string) => path.split('/').filter(Boolean).map(encodeURIComponent).join('/')

export const api = {
  configuration: () => request<SystemConfig>('GET', 'api/system/configuration'),
  live: () => request<LiveState>('GET', 'api/history/live'),
  history: (q: HistoryQuery) => request<Paged<Item>>('GET', 'api/history', { query: { type: 'done', ...q } }),
  add: (items: AddRequest[]) => request<AddResult[]>('POST', 'api/history', { body: items }),
  remove: (type: 'queue' | 'done', list: string[], removeFile: boolean) =>
    request<unknown>('DELETE', 'api/history', { body: { type, ids: list, remove_file: removeFile } }),
  start: (list: string[]) => request<Record<string, string>>('POST', 'api/history/start', { body: ids(list) }),
  startNow: (list: string[]) => request<Record<string, string>>('POST', 'api/history/start_now', { body: ids(list) }),
  move: (list: string[], to: 'top' | 'bottom') =>
    request<Record<string, string>>('POST', 'api/history/move', { body: { ids: list, to } }),
  pause: (list: string[]) => request<Record<string, string>>('POST', 'api/history/pause', { body: ids(list) }),
  cancel: (list: string[]) => request<Record<string, string>>('POST', 'api/history/cancel', { body: ids(list) }),
  pauseAll: () => request<{ message?: string }>('POST', 'api/system/pause'),
  resumeAll: () => request<{ message?: string }>('POST', 'api/system/resume'),
  logs: (offset: number, limit?: number) => request<LogPage>('GET', 'api/logs', { query: { offset, limit } }),
  checkUpdates: () => request<UpdateCheck>('POST', 'api/system/check-updates'),
  ytdlpOptions: () => request<YtdlpOption[]>('GET', 'api/yt-dlp/options'),
  testCondition: (body: ConditionTestRequest) => request<ConditionTestResult>('POST', 'api/conditions/test', { body }),

  presets: resource<PresetEntry, Preset, PresetFields>('api/presets/', ({ cookies, ...rest }) => ({
    ...rest, has_cookies: Boolean(cookies),
  })),
  conditions: resource<ConditionEntry, Condition, ConditionFields>('api/conditions/', ({ extras, ...rest }) => {
    const { cookies, ...kept } = extras ?? {}
    return { ...rest, extras: { ...kept, has_cookies: Boolean(cookies) } }
  }),
  dlFields: resource<DlFieldEntry, DlField, DlFieldFields>('api/dl_fields/'),
  taskDefinitions: resource<TaskDefinitionEntry, TaskDefinition, TaskDefinitionFields>(
    'api/tasks/definitions/', ({ definition: _rules, ...rest }) => rest,
  ),
  inspectDefinition: (body: InspectDefinitionRequest) =>
    request<InspectDefinitionResult>('POST', 'api/tasks/definitions/inspect', { body }),
  tasks: resource<TaskEntry, Task, TaskFields>('api/tasks/', ({ cookies, ...rest }) => ({
    ...rest, has_cookies: Boolean(cookies),
  })),
  runTask: (id: number) => request<TaskRunResult>('POST', `api/tasks/${id}/run`),
  inspectTask: (body: TaskInspectRequest) => request<TaskInspectResult>('POST', 'api/tasks/inspect', { body }),
  markTask: (id: number) => request<Message>('POST', `api/tasks/${id}/mark`),
  unmarkTask: (id: number) => request<Message>('DELETE', `api/tasks/${id}/mark`),
  taskMetadata: (id: number) => request<TaskMetadata>('POST', `api/tasks/${id}/metadata`),
  libraryVideos: (page: number, perPage: number) =>
    request<Paged<LibraryVideo>>('GET', 'api/library/videos', { query: { page, per_page: perPage } }),
  libraryVideo: (id: string) => request<LibraryVideo>('GET', `api/library/videos/${encodeURIComponent(id)}`),
  /** The library's video of a file (relative to the download root), if it is one. */
  libraryVideoOfFile: async (file: string): Promise<LibraryVideo | undefined> =>
    (await request<Paged<LibraryVideo>>('GET', 'api/library/videos', { query: { file, per_page: 1 } })).items[0],
  librarySearch: (q: string, page: number, perPage: number) =>
    request<LibrarySearch>('GET', 'api/library/search', { query: { q, page, per_page: perPage } }),
  libraryIndex: () => request<LibraryIndex>('GET', 'api/library/index'),
  watchProgress: (id: string) => request<WatchProgress>('GET', `api/library/videos/${encodeURIComponent(id)}/progress`),
  saveProgress: (id: string, position: number) =>
    request<WatchProgress>('POST', `api/library/videos/${encodeURIComponent(id)}/progress`, { body: { position } }),
  notifications: resource<NotificationEntry, Notification, NotificationFields>('api/notifications/'),
  notificationEvents: () => request<NotificationEvents>('GET', 'api/notifications/events/'),
  testNotifications: () => request<NotificationTestResults>('POST', 'api/notifications/test'),
  files: {
    list: (folder: string, q: FileQuery) =>
      request<FileListing>('GET', `api/file/browser/${encodePath(folder)}`, { query: { ...q } }),
    act: (actions: FileActionRequest[]) => request<FileActionResult[]>('POST', 'api/file/actions', { body: actions }),
    prepareZip: (paths: string[]) => request<FileZipToken>('POST', 'api/file/download', { body: paths }),
    zipUrl: (token: string) => apiUrl(`api/file/download/${encodeURIComponent(token)}`),
  },
  apiKeys: () => request<ApiKey[]>('GET', 'api/keys'),
  createApiKey: (body: KeyRequest) => request<KeyCreated>('POST', 'api/keys', { body }),
  revokeApiKey: (id: number) => request<Message>('DELETE', `api/keys/${id}`),
}
