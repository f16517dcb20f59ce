import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { totpCode } from '../../src/platform/totp.ts'
import { TEST_PASSWORD, type TestUser } from './app.ts'

// A person using the pages through app.inject: keeps cookies like a browser, reads the CSRF token
// from each form like a browser would submit it.

export class WebClient {
  readonly #app: FastifyInstance
  readonly cookies = new Map<string, string>()
  csrf = ''

  constructor(app: FastifyInstance) {
    this.#app = app
  }

  #remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (token?.[1]) this.csrf = token[1]
  }

  #cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.#app.inject({ method: 'GET', url, headers: { cookie: this.#cookieHeader() } })
    this.#remember(response)
    return response
  }

  async post(
    url: string,
    form: Record<string, string>,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const csrf = options.csrf === undefined ? this.csrf : options.csrf
    const payload = new URLSearchParams({ ...form, ...(csrf === null ? {} : { _csrf: csrf }) }).toString()
    const response = await this.#app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie: this.#cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    })
    this.#remember(response)
    return response
  }

  /** A form with files (multipart/form-data), as a browser sends an upload: fields first, then files. */
  async postFiles(
    url: string,
    form: Record<string, string>,
    files: Record<string, { filename: string; contentType: string; bytes: Buffer }>,
  ): Promise<LightMyRequestResponse> {
    const boundary = `----test${Date.now().toString(16)}`
    const parts: Buffer[] = []
    const disposition = (name: string, extra = '') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`
    for (const [name, value] of Object.entries({ ...form, _csrf: this.csrf }))
      parts.push(Buffer.from(`${disposition(name)}\r\n${value}\r\n`))
    for (const [name, file] of Object.entries(files)) {
      parts.push(
        Buffer.from(
          `${disposition(name, `; filename="${file.filename}"`)}Content-Type: ${file.contentType}\r\n\r\n`,
        ),
      )
      parts.push(file.bytes, Buffer.from('\r\n'))
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`))
    const response = await this.#app.inject({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { cookie: this.#cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
    })
    this.#remember(response)
    return response
  }

  /** Password then second factor, as a member of staff who has set up their app. */
  async signIn(user: TestUser, at: Date = new Date()): Promise<void> {
    await this.get('/sign-in')
    const password = await this.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    if (password.headers.location !== '/sign-in/two-factor')
      throw new Error(`password step went to ${password.headers.location}`)
    await this.get('/sign-in/two-factor')
    const code = await this.post('/sign-in/two-factor', { code: await totpCode(user.totpSecret, at) })
    if (code.headers.location !== '/')
      throw new Error(`second factor went to ${code.headers.location}: ${code.statusCode}`)
  }
}
