import { describe, expect, it } from 'vitest';
import { escapeHtml, optionsHtml } from '~/lib/html.ts';

describe('HTML helpers', () => {
  it('escape text for elements and quoted attributes', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('build options with the chosen one selected, values and labels escaped', () => {
    expect(optionsHtml([{ value: 'a"b', label: '<i>A</i>' }, { value: 'ridder', label: 'Риддер' }], 'ridder')).toBe(
      '<option value="a&quot;b">&lt;i&gt;A&lt;/i&gt;</option><option value="ridder" selected>Риддер</option>',
    );
    expect(optionsHtml([], undefined)).toBe('');
  });
});
