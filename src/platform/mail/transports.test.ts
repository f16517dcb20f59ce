import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { folderTransport, notifyTransport, readFolderMail, smtpTransport } from './transports.ts'

const mail = {
  id: randomUUID(),
  to: 'adopter@example.com',
  subject: 'You have something to see in Adoption Support',
  body: 'Sign in to see it:\nhttps://adoption-support.example/plans/1\n\nThis is an automatic email.',
}

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mail-folder-'))
})
after(() => rm(dir, { recursive: true, force: true }))

const listening = (server: Server | ReturnType<typeof createHttpServer>) =>
  new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : 0)
    })
  })

test('the folder transport writes whole messages that can be read back with their links', async () => {
  const folder = folderTransport(join(dir, 'not-yet-made'), 'Adoption Support <no-reply@agency.example>')
  await folder.send(mail)
  await folder.send({ ...mail, id: randomUUID(), to: 'second@example.com' })
  const read = await readFolderMail(join(dir, 'not-yet-made'))
  assert.equal(read.length, 2)
  assert.deepEqual(
    { ...read[0], file: undefined, date: undefined },
    {
      file: undefined,
      date: undefined,
      id: mail.id,
      from: 'Adoption Support <no-reply@agency.example>',
      to: mail.to,
      subject: mail.subject,
      body: mail.body,
      links: ['https://adoption-support.example/plans/1'],
    },
  )
  assert.equal(read[1]?.to, 'second@example.com')
  assert.deepEqual(
    (await readdir(join(dir, 'not-yet-made'))).filter((file) => !file.endsWith('.eml')),
    [],
  )
  assert.deepEqual(await readFolderMail(join(dir, 'never-written')), [])
})

test('the SMTP transport hands the message to the server named by SMTP_URL', async () => {
  const received: { commands: string[]; data: string } = { commands: [], data: '' }
  // Just enough SMTP to take one message.
  const server = createServer((socket) => {
    let buffer = ''
    let inData = false
    socket.write('220 test ESMTP\r\n')
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8')
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end < 0) return
          received.data = buffer.slice(0, end)
          buffer = buffer.slice(end + 5)
          inData = false
          socket.write('250 queued\r\n')
          continue
        }
        const end = buffer.indexOf('\r\n')
        if (end < 0) return
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        received.commands.push(line)
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'DATA') {
          inData = true
          socket.write('354 go ahead\r\n')
        } else if (verb === 'QUIT') socket.end('221 bye\r\n')
        else socket.write('250 ok\r\n')
      }
    })
  })
  const port = await listening(server)
  const smtp = smtpTransport(`smtp://127.0.0.1:${port}`, 'Adoption Support <no-reply@agency.example>')
  try {
    await smtp.send(mail)
  } finally {
    smtp.close?.()
    server.close()
  }
  assert.ok(received.commands.includes('MAIL FROM:<no-reply@agency.example>'))
  assert.ok(received.commands.includes(`RCPT TO:<${mail.to}>`))
  assert.match(received.data, /^Subject: You have something to see in Adoption Support$/m)
  assert.match(received.data, /https:\/\/adoption-support\.example\/plans\/1/)
})

test('the Notify transport sends through one template with the subject and body as its fields', async () => {
  const requests: { path?: string; authorization?: string; body: unknown }[] = []
  const server = createHttpServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      requests.push({
        path: request.url,
        authorization: request.headers.authorization,
        body: JSON.parse(body),
      })
      response.writeHead(201, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ id: randomUUID() }))
    })
  })
  const port = await listening(server)
  const templateId = randomUUID()
  const apiKey = `test_key-${randomUUID()}-${randomUUID()}`
  try {
    await notifyTransport(apiKey, templateId, `http://127.0.0.1:${port}`).send(mail)
  } finally {
    server.close()
  }
  assert.equal(requests.length, 1)
  assert.equal(requests[0]?.path, '/v2/notifications/email')
  assert.match(requests[0]?.authorization ?? '', /^Bearer /)
  assert.deepEqual(requests[0]?.body, {
    template_id: templateId,
    email_address: mail.to,
    personalisation: { subject: mail.subject, body: mail.body },
    reference: mail.id,
  })
})
