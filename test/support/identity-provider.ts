import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Adapter } from 'oidc-provider'

// A real OpenID provider (oidc-provider) on a free local port, standing in for an agency's Microsoft
// Entra ID: one client registered for our callback, and people who sign in on its login page. A test
// can also make it misbehave: the next ID token it issues may have other claims, signed with its own
// key, as a compromised or misconfigured provider would send.

export type ProviderAccount = { email: string; email_verified: boolean }
export type IdTokenClaims = Record<string, unknown>

export type TestIdentityProvider = {
  issuer: string
  clientId: string
  clientSecret: string
  /** Who can sign in here, by their login name (which is also their subject identifier). */
  accounts: Map<string, ProviderAccount>
  /** Changes the claims of the next ID token only. */
  rewriteNextIdToken(change: (claims: IdTokenClaims) => IdTokenClaims): void
  /**
   * A fresh browser at the provider: from the authorization address to the address the provider
   * sends the person back to. `login` signs in as that person; null cancels at the login page.
   */
  authorise(authorizationUrl: string, login: string | null): Promise<URL>
  close(): Promise<void>
}

// Each provider keeps what it stores (interactions, sessions, codes) to itself, for the test's life.
function memoryAdapter() {
  const stored = new Map<string, Record<string, unknown>>()
  return class MemoryAdapter implements Adapter {
    readonly #model: string

    constructor(model: string) {
      this.#model = model
    }

    #key(id: string) {
      return `${this.#model}:${id}`
    }

    async upsert(id: string, payload: Record<string, unknown>) {
      stored.set(this.#key(id), payload)
    }

    async find(id: string) {
      return stored.get(this.#key(id))
    }

    async findByUid(uid: string) {
      return [...stored].find(([key, value]) => key.startsWith(`${this.#model}:`) && value.uid === uid)?.[1]
    }

    async findByUserCode() {
      return undefined
    }

    async consume(id: string) {
      const payload = stored.get(this.#key(id))
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    }

    async destroy(id: string) {
      stored.delete(this.#key(id))
    }

    async revokeByGrantId(grantId: string) {
      for (const [key, value] of stored) if (value.grantId === grantId) stored.delete(key)
    }
  }
}

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><title>Sign in to your organisation</title></head>
<body><main><h1>Sign in to your organisation</h1>
<form method="post"><label for="login">Login</label> <input id="login" name="login">
<button>Sign in</button> <button name="cancel" value="yes">Cancel</button></form></main></body></html>`

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  let body = ''
  for await (const chunk of request) body += chunk
  return new URLSearchParams(body)
}

export async function startIdentityProvider(options: {
  redirectUri: string
  accounts?: Map<string, ProviderAccount>
  /** Registers the same client as another provider does, to play an impostor. */
  client?: { id: string; secret: string }
}): Promise<TestIdentityProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }
  const accounts = options.accounts ?? new Map<string, ProviderAccount>()
  const clientId = options.client?.id ?? `adoption-support-${randomBytes(4).toString('hex')}`
  const clientSecret = options.client?.secret ?? randomBytes(24).toString('base64url')
  let nextIdToken: ((claims: IdTokenClaims) => IdTokenClaims) | undefined

  const server = createServer()
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const tenMinutes = 600
  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // Entra ID puts the e-mail address in the ID token; so does this provider.
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: tenMinutes,
      AuthorizationCode: 60,
      Grant: tenMinutes,
      IdToken: tenMinutes,
      Interaction: tenMinutes,
      Session: tenMinutes,
    },
    async findAccount(_context: unknown, sub: string) {
      const account = accounts.get(sub)
      return account && { accountId: sub, claims: async () => ({ sub, ...account }) }
    },
  })

  provider.use(async (context, next) => {
    await next()
    const body = context.body as { id_token?: string } | undefined
    if (context.path !== '/token' || !nextIdToken || !body?.id_token) return
    const [header, payload] = body.id_token.split('.') as [string, string]
    const claims = nextIdToken(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
    nextIdToken = undefined
    const changed = Buffer.from(JSON.stringify(claims)).toString('base64url')
    const signature = sign('sha256', Buffer.from(`${header}.${changed}`), privateKey).toString('base64url')
    context.body = { ...body, id_token: `${header}.${changed}.${signature}` }
  })

  const providerHandler = provider.callback()
  server.on('request', async (request, response) => {
    // The login page: the person types who they are and signs in (or cancels), and agrees at once.
    if (request.method === 'GET' && request.url?.startsWith('/interaction/')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE)
      return
    }
    if (request.method === 'POST' && request.url?.startsWith('/interaction/')) {
      const form = await formBody(request)
      const login = form.has('cancel') ? null : form.get('login')
      const { params } = await provider.interactionDetails(request, response)
      if (!login) {
        await provider.interactionFinished(request, response, { error: 'access_denied' })
        return
      }
      const grant = new provider.Grant({ accountId: login, clientId: String(params.client_id) })
      grant.addOIDCScope(String(params.scope))
      const result = { login: { accountId: login }, consent: { grantId: await grant.save() } }
      await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false })
      return
    }
    providerHandler(request, response)
  })

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    rewriteNextIdToken(change) {
      nextIdToken = change
    },
    async authorise(authorizationUrl, login) {
      const cookies = new Map<string, string>()
      let url = new URL(authorizationUrl)
      for (let hops = 0; hops < 10; hops++) {
        const atLoginPage = url.pathname.startsWith('/interaction/')
        const response = await fetch(url, {
          method: atLoginPage ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
            ...(atLoginPage ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: atLoginPage ? new URLSearchParams(login ? { login } : {}).toString() : undefined,
        })
        for (const cookie of response.headers.getSetCookie()) {
          const [name = '', value = ''] = (cookie.split(';')[0] ?? '').split('=')
          if (value) cookies.set(name, value)
          else cookies.delete(name)
        }
        const location = response.headers.get('location')
        if (!location) throw new Error(`the provider answered ${response.status}: ${await response.text()}`)
        url = new URL(location, url)
        if (`${url.origin}${url.pathname}` === options.redirectUri) return url
      }
      throw new Error('the provider redirected too many times')
    },
    async close() {
      server.closeAllConnections()
      await new Promise((closed) => server.close(closed))
    },
  }
}
