import type { WebClient } from './web-client.ts'

/** A family of one adopter, added through the pages by a worker; answers its id. */
export async function addFamily(
  worker: WebClient,
  approvingAgencyId: string,
  adopter: { firstName: string; lastName: string; email: string },
): Promise<string> {
  await worker.get('/families/new')
  const added = await worker.post('/families', {
    approvingAgencyId,
    'adopter1-firstName': adopter.firstName,
    'adopter1-lastName': adopter.lastName,
    'adopter1-dob-day': '1',
    'adopter1-dob-month': '2',
    'adopter1-dob-year': '1985',
    'adopter1-email': adopter.email,
  })
  return String(added.headers.location).split('/')[2]?.split('?')[0] as string
}
