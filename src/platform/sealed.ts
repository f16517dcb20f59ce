import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

// Values we must read back but nobody else may read or change: an identity provider's client secret
// at rest, a sign-in in progress held in the browser's cookie. AES-256-GCM under a key derived from
// SESSION_SECRET, one key per purpose, so that a value sealed for one purpose never opens as another;
// the context (e.g. the agency's id) is bound in too, so a sealed secret copied to another row will
// not open there. Changing SESSION_SECRET makes every sealed value unreadable, by design.

const VERSION = 'v1'
const SALT = 'adoption-support sealed values'

function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32))
}

export function seal(secret: string, purpose: string, plaintext: string, context = ''): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const parts = [iv, body, cipher.getAuthTag()].map((part) => part.toString('base64url'))
  return [VERSION, ...parts].join('.')
}

/** The plaintext, or null when the value was not sealed by us for this purpose and context. */
export function unseal(secret: string, purpose: string, sealed: string, context = ''): string | null {
  const [version, iv, body, tag] = sealed.split('.')
  if (version !== VERSION || !iv || !body || !tag) return null
  try {
    // A full-length tag only: a shortened one would make forging a value far easier.
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), Buffer.from(iv, 'base64url'), {
      authTagLength: 16,
    })
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
