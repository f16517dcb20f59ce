import { z } from 'zod'

// The only place that reads the environment. In production a missing secret stops the service at
// start, instead of it running with a default that anyone can read in this repository.

const environment = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_WARNING_SECONDS: z.coerce.number().int().min(10).default(120),
  SERVICE_URL: z.string().url().optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: z.enum(['auto', 'off']).default('auto'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
})

export type Config = {
  env: 'development' | 'test' | 'production'
  port: number
  host: string
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }
  sessionSecret: string
  sessionIdleMinutes: number
  sessionWarningSeconds: number
  serviceUrl: string
  metricsToken: string | undefined
  logLevel: string
  loadDemoData: boolean
  secureCookies: boolean
  trustProxy: boolean
}

const developmentSecret = 'development-only-secret-never-used-in-production-0123456789'

export class ConfigError extends Error {}

export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(source)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Configuration is not valid:\n  ${problems.join('\n  ')}`)
  }
  const env = parsed.data
  const production = env.NODE_ENV === 'production'
  if (production) {
    const missing = [
      env.SESSION_SECRET ? null : 'SESSION_SECRET (at least 32 characters)',
      env.SERVICE_URL ? null : 'SERVICE_URL (the public address, used in e-mails)',
    ].filter((name) => name !== null)
    if (missing.length > 0) {
      throw new ConfigError(`In production these must be set: ${missing.join(', ')}`)
    }
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.DATA_DIR },
    sessionSecret: env.SESSION_SECRET ?? developmentSecret,
    sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
    sessionWarningSeconds: env.SESSION_WARNING_SECONDS,
    serviceUrl: env.SERVICE_URL ?? `http://${env.HOST}:${env.PORT}`,
    metricsToken: env.METRICS_TOKEN,
    logLevel: env.LOG_LEVEL,
    loadDemoData: !production && env.DEMO_DATA === 'auto',
    secureCookies: production,
    trustProxy: env.TRUST_PROXY === 'true',
  }
}
