import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';
import { canSeeContact, canSeeMember, canUseDirectory } from '~/server/members/rules.ts';
import { directorySearch, parseDirectoryQuery } from '~/server/members/query.ts';

const user = (role: Role, disabled = false): CurrentUser => ({ id: `u-${role}`, email: `${role}@example.org`, displayName: role, role, language: 'en', disabled, town: null });
const target = { id: 'someone', disabled: false, contactable: false };

describe('who sees whom in the people directory (role × action)', () => {
  const table: Array<[string, CurrentUser | null, { directory: boolean; active: boolean; closed: boolean; contact: boolean; optedIn: boolean }]> = [
    ['public', null, { directory: false, active: false, closed: false, contact: false, optedIn: false }],
    ['disabled member', user('member', true), { directory: false, active: false, closed: false, contact: false, optedIn: false }],
    ['member', user('member'), { directory: true, active: true, closed: false, contact: false, optedIn: true }],
    ['town admin', user('town_admin'), { directory: true, active: true, closed: false, contact: false, optedIn: true }],
    ['editor', user('editor'), { directory: true, active: true, closed: true, contact: true, optedIn: true }],
    ['admin', user('admin'), { directory: true, active: true, closed: true, contact: true, optedIn: true }],
  ];
  for (const [who, viewer, expected] of table) {
    it(who, () => {
      expect({
        directory: canUseDirectory(viewer),
        active: canSeeMember(viewer, target),
        closed: canSeeMember(viewer, { ...target, disabled: true }),
        contact: canSeeContact(viewer, target),
        optedIn: canSeeContact(viewer, { ...target, contactable: true }),
      }).toEqual(expected);
    });
  }

  it('a member always sees their own address', () => {
    const member = user('member');
    expect(canSeeContact(member, { id: member.id, contactable: false })).toBe(true);
  });
});

describe('the directory query string', () => {
  const towns = new Set(['temirtau', 'ridder']);
  it('reads good values and writes them back', () => {
    const { query, problems } = parseDirectoryQuery(new URLSearchParams('q=Bek&topic=environment-health&town=ridder&region=karaganda&language=other&page=3'), towns);
    expect(problems).toEqual([]);
    expect(query).toEqual({ q: 'Bek', topic: 'environment-health', town: 'ridder', region: 'karaganda', language: 'other', page: 3 });
    expect(directorySearch(query)).toBe('?q=Bek&topic=environment-health&town=ridder&region=karaganda&language=other&page=3');
    expect(directorySearch({ page: 1 })).toBe('');
  });

  it('names each bad value as a problem and leaves it out', () => {
    const { query, problems } = parseDirectoryQuery(new URLSearchParams(`q=${'x'.repeat(101)}&topic=nope&town=atlantis&region=mars&language=fr&page=0`), towns);
    expect(query).toEqual({ page: 1 });
    expect(problems).toEqual(['members.filter.badName', 'members.filter.badTopic', 'members.filter.badTown', 'members.filter.badRegion', 'members.filter.badLanguage', 'members.filter.badPage']);
    expect(parseDirectoryQuery(new URLSearchParams('town=ridder&town=temirtau'), towns).problems).toEqual(['members.filter.repeated']);
    expect(parseDirectoryQuery(new URLSearchParams('page=abc'), towns).problems).toEqual(['members.filter.badPage']);
    expect(parseDirectoryQuery(new URLSearchParams('q=a%00b'), towns).problems).toEqual(['members.filter.badName']);
  });
});
