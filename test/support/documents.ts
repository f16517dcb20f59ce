import sharp from 'sharp'
import type { Block, DocumentModel } from '../../src/documents/model.ts'
import { quartered } from './photos.ts'

// A document model with every kind of block, for the renderers' tests: names and words beyond
// ASCII, line breaks inside answers, an empty answer, a long table that must run onto more pages,
// a photo, a signature page. The builder's own tests use real plans instead.

export async function sampleDocument(options: { needs?: number } = {}): Promise<DocumentModel> {
  const { data, raw } = quartered(120, 90)
  const photo = await sharp(data, { raw }).jpeg().toBuffer()
  const needs = options.needs ?? 12
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: 'Adoption support plan for Zoë Ó Briain-Łukasiewicz' },
    { kind: 'paragraph', text: 'Version 4, agreed on 3 March 2026. Content hash 3f5a…', tone: 'hint' },
    {
      kind: 'image',
      alt: 'Photo of Zoë, smiling in a red coat',
      caption: 'Zoë: Photo of Zoë, smiling in a red coat',
      mediaType: 'image/jpeg',
      bytes: photo,
      width: 120,
      height: 90,
    },
    { kind: 'heading', level: 2, text: '1. Professional network' },
    {
      kind: 'table',
      caption: 'People in the professional network',
      header: ['Name', 'Role', 'Organisation', 'Telephone', 'E-mail'],
      rows: Array.from({ length: 20 }, (_, i) => [
        `Person ${i + 1} Nguyễn`,
        'Social worker',
        'Northshire Council',
        '0161 496 0000',
        `person${i + 1}@northshire.example`,
      ]),
    },
    { kind: 'heading', level: 2, text: '2. The child’s needs and the support for them' },
    {
      kind: 'fields',
      rows: [
        {
          label: 'The child’s history',
          value: 'First paragraph of a long answer.\nSecond paragraph, after a line break: “quoted”.',
        },
        { label: 'Health needs', value: 'Not provided' },
      ],
    },
    ...Array.from({ length: needs }, (_, i): Block[] => [
      { kind: 'heading', level: 3, text: `Need ${i + 1}: Emotional and behavioural` },
      {
        kind: 'fields',
        rows: [
          {
            label: 'The need',
            value: `Need number ${i + 1}: ${'help with big feelings at bedtime. '.repeat(8)}`,
          },
          { label: 'Support', value: 'Therapeutic parenting course, then play therapy.' },
          { label: 'Who provides it', value: 'Person 3 Nguyễn' },
          { label: 'When', value: 'Weekly from September 2026' },
          { label: 'Review', value: 'At each child care review' },
          { label: 'Funding', value: 'Adoption and Special Guardianship Support Fund' },
        ],
      },
    ]).flat(),
    { kind: 'list', items: ['First point', 'Second point, with a £ sign: £1,250.00', 'Third'] },
    { kind: 'pageBreak' },
    {
      kind: 'signature',
      intro: 'I have read the support offered to me in this section.',
      lines: ['Signed', 'Name', 'Date'],
    },
  ]
  return {
    title: 'Adoption support plan for Zoë Ó Briain-Łukasiewicz, version 4',
    language: 'en-GB',
    marking: 'OFFICIAL-SENSITIVE',
    furniture: 'Version 4 · Agreed · taken 3 March 2026',
    contentHash: '3f5a9c0e7b1d2a4f6e8c0b1a3d5f7e9c2b4a6d8f0e1c3b5a7d9f1e3c5b7a9d0f',
    createdAt: new Date('2026-03-03T10:15:00Z'),
    variant: 'full',
    blocks,
  }
}
