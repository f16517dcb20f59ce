// Every e-mail the service sends, as fixed text. A message is built from the service's address and
// a path on it, and from nothing else: there is no way to put a child's or an adopter's name, or
// anything about a plan, into an e-mail, because the builders are never given one. An e-mail can
// be read by whoever shares the inbox, so it only says that there is something to see, and where.

export type RenderedMail = { subject: string; body: string }

type MessageText = { subject: string; body: (url: string) => string }

const IGNORE = 'If you were not expecting this email, you can ignore it.'
const NO_REPLY = 'This is an automatic email. Replies are not read.'

const MESSAGES = {
  'staff-invitation': {
    subject: 'You have been invited to use Adoption Support',
    body: (url) =>
      [
        'You have been invited to use Adoption Support.',
        `Use this link to set up your account:\n${url}`,
        'The link can only be used once. If it has expired, ask the person who invited you to send a new one.',
        IGNORE,
        NO_REPLY,
      ].join('\n\n'),
  },
  'adopter-invitation': {
    subject: 'Your adoption agency has invited you to Adoption Support',
    body: (url) =>
      [
        'Your adoption agency has invited you to Adoption Support. You can use it to read the adoption ' +
          'support plan your agency shares with you, and to tell them what you think.',
        `Use this link to set up your account:\n${url}`,
        'The link can only be used once. If it has expired, ask your social worker to send a new one.',
        IGNORE,
        NO_REPLY,
      ].join('\n\n'),
  },
  reminder: {
    subject: 'You have something to see in Adoption Support',
    body: (url) =>
      [
        'You have something to see in Adoption Support.',
        `Sign in to see it:\n${url}`,
        'To keep it private, this email does not say what it is about.',
        NO_REPLY,
      ].join('\n\n'),
  },
  'new-item': {
    subject: 'There is something new for you in Adoption Support',
    body: (url) =>
      [
        'There is something new for you in Adoption Support.',
        `Sign in to see it:\n${url}`,
        'To keep it private, this email does not say what it is about.',
        NO_REPLY,
      ].join('\n\n'),
  },
  // A reminder worked out from dates (src/features/reminders): a review due or overdue, or an
  // adopter's comment or request for a review waiting for an answer. The link is the page where it
  // is done; the person's home page lists everything waiting for them.
  'something-to-do': {
    subject: 'You have something to do in Adoption Support',
    body: (url) =>
      [
        'There is something for you to do in Adoption Support.',
        `Sign in to see it:\n${url}`,
        'Your home page in Adoption Support lists everything that is waiting for you.',
        'To keep it private, this email does not say what it is about.',
        NO_REPLY,
      ].join('\n\n'),
  },
} satisfies Record<string, MessageText>

export type MailKind = keyof typeof MESSAGES

export const MAIL_KINDS = Object.keys(MESSAGES) as MailKind[]

export function isMailKind(kind: string): kind is MailKind {
  return Object.hasOwn(MESSAGES, kind)
}

/** The full address of a path on this service, keeping any path the service itself lives under. */
export function serviceLink(serviceUrl: string, path: string): string {
  return `${serviceUrl.replace(/\/+$/, '')}${path}`
}

export function renderMail(kind: MailKind, serviceUrl: string, link: string): RenderedMail {
  const message: MessageText = MESSAGES[kind]
  return { subject: message.subject, body: message.body(serviceLink(serviceUrl, link)) }
}
