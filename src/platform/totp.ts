import { generate, generateSecret, generateURI, verify } from 'otplib'

// Time-based one-time passwords (RFC 6238), as any authenticator app makes them. One step (30 s)
// either side is accepted for clock drift; a code is never accepted twice.

const PERIOD = 30

export function newTotpSecret(): string {
  return generateSecret()
}

export function totpUri(secret: string, account: string, issuer: string): string {
  return generateURI({ issuer, label: account, secret })
}

export function totpCode(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) })
}

/** The time step the code belongs to when it is valid and newer than `lastStep`; otherwise null. */
export async function acceptTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  at: Date = new Date(),
): Promise<number | null> {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return null
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: PERIOD,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  })
  if (!result.valid) return null
  return 'timeStep' in result && typeof result.timeStep === 'number'
    ? result.timeStep
    : Math.floor(at.getTime() / 1000 / PERIOD)
}
