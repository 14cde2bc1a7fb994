import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { canEnterValues, canPublishValues, canSeeHistory, canSeeUnpublished } from '~/server/indicators/rules.ts';

const TEMIRTAU = 1;
const RIDDER = 2;
const user = (role: CurrentUser['role'], townId: number | null, disabled = false): CurrentUser => ({
  id: `${role}-${townId}`,
  email: 'x@example.org',
  displayName: 'X',
  role,
  language: 'en',
  disabled,
  town: townId === null ? null : { id: townId, slug: 'town', name: { kk: 'T', ru: 'T', en: 'T' } },
});

// Viewer × what they may do with Temirtau's figures.
const TABLE: Array<[string, CurrentUser | null, { enter: boolean; publish: boolean; unpublished: boolean; history: boolean }]> = [
  ['anonymous', null, { enter: false, publish: false, unpublished: false, history: false }],
  ['member of the town', user('member', TEMIRTAU), { enter: false, publish: false, unpublished: true, history: false }],
  ['member of another town', user('member', RIDDER), { enter: false, publish: false, unpublished: true, history: false }],
  ['town admin of the town', user('town_admin', TEMIRTAU), { enter: true, publish: true, unpublished: true, history: true }],
  ['town admin of another town', user('town_admin', RIDDER), { enter: false, publish: false, unpublished: true, history: false }],
  ['editor', user('editor', null), { enter: true, publish: false, unpublished: true, history: true }],
  ['administrator', user('admin', null), { enter: true, publish: false, unpublished: true, history: true }],
  ['disabled town admin of the town', user('town_admin', TEMIRTAU, true), { enter: false, publish: false, unpublished: false, history: false }],
];

describe('who may do what with a town’s figures', () => {
  it.each(TABLE)('%s', (_who, viewer, expected) => {
    expect({
      enter: canEnterValues(viewer, TEMIRTAU),
      publish: canPublishValues(viewer, TEMIRTAU),
      unpublished: canSeeUnpublished(viewer),
      history: canSeeHistory(viewer, TEMIRTAU),
    }).toEqual(expected);
  });
});
