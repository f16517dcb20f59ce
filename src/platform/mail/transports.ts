import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createTransport } from 'nodemailer'
import { NotifyClient } from 'notifications-node-client'
import type { Config } from '../../config.ts'

// Where e-mails go: a folder on this machine (development and tests: nothing leaves it), an SMTP
// server, or GOV.UK Notify. Each is given a finished message and either delivers it or throws.

export type OutgoingMail = { id: string; to: string; subject: string; body: string }

export type MailTransport = {
  name: 'folder' | 'smtp' | 'notify' | (string & {})
  send: (mail: OutgoingMail) => Promise<void>
  close?: () => void
}

export type MailSettings = Config['mail']

/** One text file per message, named so that a listing is in the order they were sent. */
export function folderTransport(dir: string, from: string): MailTransport {
  let sequence = 0
  return {
    name: 'folder',
    async send(mail) {
      await mkdir(dir, { recursive: true })
      const sentAt = new Date()
      const name = `${sentAt.toISOString().replaceAll(':', '-')}-${String(sequence++).padStart(6, '0')}-${mail.id}`
      const text = [
        `From: ${from}`,
        `To: ${mail.to}`,
        `Subject: ${mail.subject}`,
        `Date: ${sentAt.toUTCString()}`,
        `X-Outbox-Id: ${mail.id}`,
        '',
        mail.body,
        '',
      ].join('\n')
      // Written whole, then renamed: someone reading the folder never sees half a message.
      await writeFile(join(dir, `${name}.tmp`), text, 'utf8')
      await rename(join(dir, `${name}.tmp`), join(dir, `${name}.eml`))
    },
  }
}

export type FolderMail = {
  file: string
  id: string
  from: string
  to: string
  subject: string
  date: string
  body: string
  /** Every address on this or any service written in the body, in order. */
  links: string[]
}

/** The messages a folder transport has written, oldest first (for tests and local use). */
export async function readFolderMail(dir: string): Promise<FolderMail[]> {
  let files: string[]
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith('.eml')).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), 'utf8')
      const split = text.indexOf('\n\n')
      const headers = new Map(
        text
          .slice(0, split)
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      )
      const body = text.slice(split + 2).replace(/\n$/, '')
      return {
        file,
        id: headers.get('X-Outbox-Id') ?? '',
        from: headers.get('From') ?? '',
        to: headers.get('To') ?? '',
        subject: headers.get('Subject') ?? '',
        date: headers.get('Date') ?? '',
        body,
        links: body.match(/https?:\/\/\S+/g) ?? [],
      }
    }),
  )
}

export function smtpTransport(url: string, from: string): MailTransport {
  // Short timeouts, well inside the worker's claim on a message, so that a server that stops
  // answering fails the attempt rather than leaving it in doubt.
  const mailer = createTransport({
    url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  })
  return {
    name: 'smtp',
    async send(mail) {
      await mailer.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.body,
        messageId: `<${mail.id}@adoption-support>`,
      })
    },
    close: () => mailer.close(),
  }
}

/**
 * GOV.UK Notify sends through one template whose subject is `((subject))` and whose body is
 * `((body))`: the words stay here, with the rest of the service's messages.
 */
export function notifyTransport(apiKey: string, templateId: string, baseUrl?: string): MailTransport {
  const client = baseUrl ? new NotifyClient(baseUrl, apiKey) : new NotifyClient(apiKey)
  return {
    name: 'notify',
    async send(mail) {
      await client.sendEmail(templateId, mail.to, {
        personalisation: { subject: mail.subject, body: mail.body },
        reference: mail.id,
      })
    },
  }
}

export function mailTransport(settings: MailSettings): MailTransport {
  switch (settings.transport) {
    case 'folder':
      return folderTransport(settings.dir, settings.from)
    case 'smtp':
      return smtpTransport(settings.url, settings.from)
    case 'notify':
      return notifyTransport(settings.apiKey, settings.templateId)
  }
}
