import { describe, expect, it } from 'vitest';
import { townGroupsHtml, type ListedGroup } from '~/lib/towns/town-groups-html.ts';

const groups: readonly ListedGroup[] = [
  { slug: 'youth-skills', name: { kk: 'Жастар', ru: 'Молодёжь', en: 'Youth skills' }, purpose: { kk: 'Мақсат', ru: 'Цель', en: 'Skills for the young' } },
  { slug: 'utilities-renewal', name: { kk: 'Коммуналдық', ru: 'Коммунальные', en: 'Utilities renewal' }, purpose: { kk: 'Жаңарту', ru: 'Обновление', en: 'Pipes and grids' } },
];

describe("a town profile's list of working groups", () => {
  it('links each group in the reader’s language with its purpose, in the order given', () => {
    expect(townGroupsHtml(groups, 'en')).toBe(
      '<ul class="plain-list"><li><a href="/en/groups/youth-skills/">Youth skills</a> — Skills for the young</li>' +
        '<li><a href="/en/groups/utilities-renewal/">Utilities renewal</a> — Pipes and grids</li></ul>',
    );
    expect(townGroupsHtml(groups, 'ru')).toContain('<a href="/ru/groups/youth-skills/">Молодёжь</a> — Цель</li>');
  });

  it('escapes names, purposes and slugs', () => {
    const hostile: ListedGroup = { slug: 'a"b', name: { kk: 'x', ru: 'x', en: '<b>Tom & "Jerry"</b>' }, purpose: { kk: 'x', ru: 'x', en: "<script>alert('x')</script>" } };
    const html = townGroupsHtml([hostile], 'en');
    expect(html).toBe('<ul class="plain-list"><li><a href="/en/groups/a&quot;b/">&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</a> — &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</li></ul>');
  });
});
