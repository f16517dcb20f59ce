import { join } from 'node:path'
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
  MAIL_TRANSPORT: z.enum(['folder', 'smtp', 'notify']).optional(),
  MAIL_DIR: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  SMTP_URL: z
    .string()
    .url()
    .refine((url) => /^smtps?:\/\//.test(url), 'must start with smtp:// or smtps://')
    .optional(),
  NOTIFY_API_KEY: z.string().min(73).optional(),
  NOTIFY_TEMPLATE_ID: z.string().uuid().optional(),
  REMINDER_SWEEP_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  // Overload (docs/adr/0021): past these the service answers 503 with Retry-After until it recovers.
  // 0 turns a check off. The event loop check is on by default except in tests (see overloadSettings).
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  OVERLOAD_MAX_HEAP_MB: z.coerce.number().int().min(0).default(0),
  OVERLOAD_MAX_RSS_MB: z.coerce.number().int().min(0).default(0),
  OVERLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
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
  /** How often each instance works out the reminders and queues their e-mails (docs/adr/0018). */
  reminderSweepMinutes: number
  mail:
    | { transport: 'folder'; dir: string; from: string }
    | { transport: 'smtp'; url: string; from: string }
    | { transport: 'notify'; apiKey: string; templateId: string }
  /** When the service sheds load with 503 and Retry-After (docs/adr/0021); 0 turns a check off. */
  overload: {
    maxEventLoopDelayMs: number
    maxHeapUsedBytes: number
    maxRssBytes: number
    retryAfterSeconds: number
    /** How often the pressure is measured: a second in service, shorter in a test that waits on it. */
    sampleIntervalMs: number
  }
}

const developmentSecret = 'development-only-secret-never-used-in-production-0123456789'

export class ConfigError extends Error {}

// Outside production mail goes to a folder unless told otherwise, so that no test or demo can write
// to a real person. In production the way out is always chosen on purpose (readConfig insists).
function mailSettings(env: z.infer<typeof environment>, production: boolean): Config['mail'] {
  const transport = env.MAIL_TRANSPORT ?? 'folder'
  const from = env.MAIL_FROM ?? 'Adoption Support <no-reply@adoption-support.invalid>'
  const needs = (settings: Record<string, string | undefined>) => {
    const absent = Object.keys(settings).filter((name) => !settings[name])
    if (absent.length > 0) {
      throw new ConfigError(`With MAIL_TRANSPORT=${transport} these must be set: ${absent.join(', ')}`)
    }
  }
  if (transport === 'smtp') {
    needs({ SMTP_URL: env.SMTP_URL, ...(production ? { MAIL_FROM: env.MAIL_FROM } : {}) })
    return { transport, url: env.SMTP_URL ?? '', from }
  }
  if (transport === 'notify') {
    needs({ NOTIFY_API_KEY: env.NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID: env.NOTIFY_TEMPLATE_ID })
    return { transport, apiKey: env.NOTIFY_API_KEY ?? '', templateId: env.NOTIFY_TEMPLATE_ID ?? '' }
  }
  return { transport, dir: env.MAIL_DIR ?? join(env.DATA_DIR, 'mail'), from }
}

const MB = 1024 * 1024

// A test suite on a shared machine blocks its own event loop on purpose (documents, big fixtures),
// and a stray 503 there would be noise: tests turn the check on when they mean to.
function overloadSettings(env: z.infer<typeof environment>): Config['overload'] {
  return {
    maxEventLoopDelayMs: env.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS ?? (env.NODE_ENV === 'test' ? 0 : 1000),
    maxHeapUsedBytes: env.OVERLOAD_MAX_HEAP_MB * MB,
    maxRssBytes: env.OVERLOAD_MAX_RSS_MB * MB,
    retryAfterSeconds: env.OVERLOAD_RETRY_AFTER_SECONDS,
    sampleIntervalMs: 1000,
  }
}

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
      env.MAIL_TRANSPORT ? null : 'MAIL_TRANSPORT (folder, smtp or notify)',
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
    reminderSweepMinutes: env.REMINDER_SWEEP_MINUTES,
    mail: mailSettings(env, production),
    overload: overloadSettings(env),
  }
}
