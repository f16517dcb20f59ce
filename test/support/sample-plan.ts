import sharp from 'sharp'
import type { DocumentPhoto } from '../../src/documents/build.ts'
import type { PlanSnapshot } from '../../src/plan/versions.ts'
import { quartered } from './photos.ts'

// A plan as an agency might write it, every name invented: the sample in docs/samples (made by
// `npm run samples`) and the test that renders its pages. Short, so the sample stays small, but with
// every part a reader should see: each section, needs, staying in touch, money, two birth relatives,
// a review, and a photo.

const KEY_WORKER = 'a1b2c3d4-0000-4000-8000-000000000001'

export const SAMPLE_VERSION = {
  number: 4,
  hash: '6f1d0c5e9a3b47c2d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6',
  takenAt: new Date('2026-04-02T10:30:00Z'),
}

export const SAMPLE_SNAPSHOT: PlanSnapshot = {
  status: 'agreed',
  dateAgreed: '2026-03-20',
  child: { firstName: 'Maya', lastName: 'Okafor', dateOfBirth: '2022-06-14' },
  adopters: [
    { firstName: 'Rachel', lastName: 'Pemberton', dateOfBirth: '1986-09-03' },
    { firstName: 'Tomasz', lastName: 'Nowak', dateOfBirth: '1984-01-27' },
  ],
  sections: {
    network: {
      completed: true,
      content: {
        answers: {},
        lists: {
          members: [
            {
              id: KEY_WORKER,
              answers: {
                name: 'Priya Shah',
                role: 'Child’s social worker',
                organisation: 'Northshire Council',
                phone: '0161 496 0123',
                email: 'priya.shah@northshire.example',
                responsibility: 'Leads the plan until the adoption order, and arranges each review.',
                confirmedOn: '2026-03-02',
              },
            },
            {
              id: 'a1b2c3d4-0000-4000-8000-000000000002',
              answers: {
                name: 'Dr Femi Adeyemi',
                role: 'Community paediatrician',
                organisation: 'Northshire Children’s Health',
                phone: '0161 496 0456',
                email: 'f.adeyemi@nch.example',
                responsibility: 'Sees Maya every six months about her hearing and her speech.',
                confirmedOn: '2026-03-02',
              },
            },
          ],
        },
      },
    },
    child: {
      completed: true,
      content: {
        answers: {
          whoTheyAre:
            'Maya is a bright, curious three-year-old who loves water, songs with actions and her toy rabbit, Bun.\nShe takes time to trust new adults and watches closely before joining in.',
          lifeStory:
            'Maya knows she grew in her birth mother Jade’s tummy. Her life story book, started by her foster carer, tells her first year with photos.',
          health:
            'Glue ear in both ears; grommets fitted in January 2026. Hearing to be checked again in July.',
          development: 'Speech is about six months behind; she is catching up quickly with speech therapy.',
          education: 'Starts nursery in September 2026, three mornings a week.',
          ehcp: 'no',
          emotionalBehavioural:
            'Maya can become very distressed at bedtime and when a carer leaves the room. A calm, predictable routine helps.',
          ethnicityCulture:
            'Maya’s birth father is of Nigerian (Yoruba) heritage; her birth mother is White British. Her adopters will keep Yoruba stories, food and language in her life.',
          religion: 'Baptised as a baby at her birth mother’s wish; no practice at present.',
          language: 'English at home; a few Yoruba words learnt from her birth grandmother.',
          transitionOfServices: '',
        },
        lists: {
          needs: [
            {
              id: 'need-1',
              answers: {
                area: 'emotional-behavioural',
                description: 'Distress at separation and at bedtime.',
                expected: 'now',
                support:
                  'Therapeutic parenting course for both adopters, then dyadic developmental psychotherapy if needed.',
                providerMemberId: KEY_WORKER,
                providerOrganisation: 'Northshire Adoption Support',
                startOn: '2026-04-15',
                endOn: '2026-10-15',
                frequency: 'Weekly for 12 weeks',
                review: 'At each child care review',
                funding: 'asgsf',
                fundAmount: 250_000,
                status: 'planned',
              },
            },
            {
              id: 'need-2',
              answers: {
                area: 'development',
                description: 'Speech and language delay linked to her glue ear.',
                expected: 'now',
                support: 'Speech and language therapy, and a home programme for the adopters.',
                providerMemberId: null,
                providerOrganisation: 'Northshire Children’s Health',
                startOn: '2026-03-01',
                endOn: null,
                frequency: 'Fortnightly',
                review: 'Therapist reports before each review',
                funding: 'health',
                fundAmount: null,
                status: 'in-place',
              },
            },
          ],
          stayingInTouch: [
            {
              id: 'contact-1',
              answers: {
                person: 'Jade (birth mother)',
                relationship: 'Birth mother',
                kind: 'letterbox',
                frequency: 'Once a year, in June',
                supportedBy: 'Northshire letterbox service',
                reviewOn: '2027-06-01',
              },
            },
          ],
        },
      },
    },
    adopters: {
      completed: true,
      content: {
        answers: {
          strengths:
            'Rachel and Tomasz are warm, patient and playful, and have already learnt Maya’s routine from her foster carer.',
          vulnerabilities: 'Tomasz works shifts; bedtimes may fall to Rachel alone two nights a week.',
          informalSupport: 'Rachel’s sister lives nearby and has offered one evening a week.',
          agencySupport: 'Monthly visits until the order; the adopters’ support group each term.',
          adoptersViews:
            'We feel listened to. We would like the therapy to start before Maya begins nursery.',
        },
        lists: {
          needs: [
            {
              id: 'need-3',
              answers: {
                area: 'parenting',
                description: 'Understanding how early trauma shows in a young child’s behaviour.',
                expected: 'now',
                support: 'A place on the agency’s therapeutic parenting course.',
                providerMemberId: null,
                providerOrganisation: 'Northshire Adoption Support',
                startOn: '2026-04-15',
                endOn: '2026-07-01',
                frequency: 'Weekly',
                review: 'At the first review',
                funding: 'agency',
                fundAmount: null,
                status: 'planned',
              },
            },
          ],
          financialSupport: [
            {
              id: 'money-1',
              answers: {
                kind: 'settling-in',
                amount: 75_000,
                frequency: 'once',
                startOn: '2026-04-01',
                endOn: null,
                paidBy: 'Northshire Council',
                reviewOn: null,
              },
            },
          ],
        },
      },
    },
    'birth-family': {
      completed: true,
      content: {
        answers: {},
        lists: {
          relatives: [
            {
              id: 'relative-1',
              answers: {
                relative: 'Jade',
                relationship: 'Birth mother',
                support:
                  'Counselling from an independent birth parent service, and help writing her yearly letter to Maya.',
                providedBy: 'Birthlink Northshire',
              },
            },
            {
              id: 'relative-2',
              answers: {
                relative: 'Grace',
                relationship: 'Birth grandmother',
                support: 'Help to write a letter and record Yoruba stories for Maya’s life story book.',
                providedBy: 'Northshire Adoption Support',
              },
            },
          ],
        },
      },
    },
    review: { completed: false, content: { answers: {}, lists: {} } },
  },
  reviews: [
    {
      kind: 'scheduled',
      status: 'recorded',
      heldOn: '2026-03-30',
      before: {
        needsChanged: 'Maya has settled well; bedtimes are still hard.',
        childViews: 'Maya showed her room and her rabbit, and said “my house”.',
        adoptersViews: 'They want the therapy to start soon.',
        by: 'Priya Shah',
        at: '2026-03-27T09:00:00Z',
      },
      after: {
        recommendations: 'Start the parenting course in April; ask the ASGSF for the therapy now.',
        visitFrequency: 'Every four weeks',
        by: 'Alan Brooks (independent reviewing officer)',
        at: '2026-03-30T15:00:00Z',
      },
    },
  ],
}

/** A photo for the sample: a plain picture, described as a person would be. */
export async function samplePhotos(): Promise<DocumentPhoto[]> {
  const { data, raw } = quartered(300, 225)
  const bytes = await sharp(data, { raw }).jpeg({ quality: 80 }).toBuffer()
  return [
    {
      subject: 'child',
      name: 'Maya Okafor',
      description: 'Maya in a red coat, holding her toy rabbit',
      mediaType: 'image/jpeg',
      bytes,
      width: 300,
      height: 225,
    },
  ]
}
