// Pure helpers of the add form: splitting URLs and turning download fields into CLI options.
import { shellQuote } from '@/lib/format'
import type { AddRequest, DlField } from '@/api/types'

/** One URL per line (or separated by spaces); blank lines are dropped. */
export function splitUrls(text: string): string[] {
  return text.split(/\s+/).map((url) => url.trim()).filter(Boolean)
}

/** Appends each filled download field to the CLI: a bool as its flag, others as `flag value`. */
export function fieldsToCli(cli: string, fields: DlField[], values: Record<string, string | boolean | undefined>): string {
  const parts = cli.trim() ? [cli.trim()] : []
  for (const field of fields) {
    const value = values[field.field]
    if (value === undefined || value === false || value === '') continue
    parts.push(value === true ? field.field : `${field.field} ${shellQuote(String(value))}`)
  }
  return parts.join(' ')
}

export interface AddOptions {
  preset: string
  folder: string
  template: string
  cli: string
  cookies: string
  autoStart: boolean
}

export function buildRequests(urls: string[], options: AddOptions): AddRequest[] {
  return urls.map((url) => {
    const request: AddRequest = { url, auto_start: options.autoStart }
    if (options.preset) request.preset = options.preset
    if (options.folder.trim()) request.folder = options.folder.trim()
    if (options.template.trim()) request.template = options.template.trim()
    if (options.cli.trim()) request.cli = options.cli.trim()
    if (options.cookies.trim()) request.cookies = options.cookies
    return request
  })
}
