// Every call the console makes: same origin as the page, JSON in and out, problems (RFC 7807) raised as ApiProblem.

/** The API's root: the console is served at /api/console/, so the API is its parent. */
export const apiRoot = import.meta.env.BASE_URL.replace(/console\/$/, '')

const tokenKey = 'jisudai.console.token'

/** The development sign-in's bearer token; in Azure there is none and App Service authentication's cookie signs each call. */
export const token = {
  get: (): string | null => sessionStorage.getItem(tokenKey),
  set: (value: string | null) => (value ? sessionStorage.setItem(tokenKey, value) : sessionStorage.removeItem(tokenKey)),
}

/** A refusal as the API explained it: the status, its title and detail, the fields at fault and the trace id to quote. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Record<string, string[]>,
    readonly traceId: string | null,
  ) {
    super(detail || title)
  }
}

export interface CallOptions {
  body?: unknown
  /** Sent as it is (a rule-set document, say), not as JSON of a value. */
  rawBody?: string
  idempotencyKey?: string
  ifMatch?: string
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const bearer = token.get()
  if (bearer) headers.Authorization = `Bearer ${bearer}`
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
  if (options.ifMatch) headers['If-Match'] = options.ifMatch
  let body: string | undefined
  if (options.rawBody !== undefined) body = options.rawBody
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  if (body !== undefined) headers['Content-Type'] = 'application/json'

  let response: Response
  try {
    response = await fetch(apiRoot + path, { method, headers, body, credentials: 'same-origin' })
  } catch {
    throw new ApiProblem(0, 'Network error', 'The API did not answer.', {}, null)
  }

  const text = await response.text()
  const json = text ? safeParse(text) : null
  if (!response.ok) {
    const p = (json ?? {}) as Record<string, unknown>
    throw new ApiProblem(
      response.status,
      String(p.title ?? response.statusText),
      String(p.detail ?? ''),
      (p.errors as Record<string, string[]>) ?? {},
      (p.traceId as string) ?? null,
    )
  }
  return json as T
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const get = <T>(path: string) => call<T>('GET', path)

/** GET what may not exist yet (a comparison before any challenger ran, the book before monitoring ran): null on 404, any other refusal raised. */
export async function find<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path)
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404) return null
    throw e
  }
}
export const post = <T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}) => call<T>('POST', path, { ...options, body })

/** A fresh key for one command that creates or moves something, kept by the page for its retries. */
export const newKey = () => crypto.randomUUID()
