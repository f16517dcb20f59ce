import { readFile } from 'node:fs/promises'
import { type IdentityProviders, ProviderError } from './providers.ts'

// `npm run cli -- sso set` and `sso show`: an agency's OpenID provider, as an operator sets it. The
// client secret comes from a file or standard input, never from the command line, where anyone on
// the machine could read it in the list of processes; and it is never printed back.

async function readSecret(file: string | undefined): Promise<string> {
  if (!file && process.stdin.isTTY) {
    throw new ProviderError(
      'Give the client secret in a file (--client-secret-file PATH) or on standard input',
    )
  }
  let text = ''
  if (file) text = await readFile(file, 'utf8')
  else for await (const chunk of process.stdin) text += chunk
  // A file written by an editor or `echo` ends with a line break that is no part of the secret.
  return text.replace(/[\r\n]+$/, '')
}

export async function setIdentityProvider(
  providers: IdentityProviders,
  options: {
    agencyId: string
    issuer: string
    clientId: string
    clientSecretFile?: string
    enforcesMfa: boolean
  },
): Promise<string> {
  const { clientSecretFile, ...provider } = options
  return providers.set({ ...provider, clientSecret: await readSecret(clientSecretFile) })
}

export async function describeIdentityProvider(
  providers: IdentityProviders,
  agencyId: string,
): Promise<string> {
  const provider = await providers.find(agencyId)
  if (!provider) throw new ProviderError(`No identity provider is set for the agency ${agencyId}`)
  return [
    `issuer: ${provider.issuer}`,
    `client id: ${provider.clientId}`,
    `client secret: ${provider.clientSecret === null ? 'cannot be opened (SESSION_SECRET has changed since it was set): set it again' : 'set'}`,
    `enforces MFA: ${provider.enforcesMfa ? 'yes' : 'no'}`,
    `updated: ${provider.updatedAt.toISOString()}`,
  ].join('\n')
}
