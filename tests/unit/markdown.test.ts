import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from '~/server/markdown.ts';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Hostile inputs a member could type; none may survive as live markup. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[vb](vbscript:msgbox(1))',
  '<a href="javascript:alert(1)">x</a>',
  '<img src=x onerror=alert(1)>',
  '![x](https://evil.example/track.png)',
  '<p onclick="alert(1)">hi</p>',
  '<div style="background:url(javascript:alert(1))">styled</div>',
  '<span style="position:fixed;top:0">overlay</span>',
  '<svg onload=alert(1)><circle r="40"/></svg>',
  '<math><mtext><script>alert(1)</script></mtext></math>',
  '<form action="https://evil.example"><input name="password"><button>Sign in</button></form>',
  '<iframe src="https://evil.example"></iframe>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<style>body{display:none}</style>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<a href="https://ok.example" onmouseover="alert(1)">hover</a>',
  '<details open ontoggle=alert(1)>',
  '"><script>alert(1)</script>',
  '<<script>script>alert(1)<</script>/script>',
  '<template><script>alert(1)</script></template>',
  '[x](//evil.example/path)',
];

const FORBIDDEN = [/<script/i, /javascript:/i, /vbscript:/i, /data:/i, /\son\w+=/i, /style=/i, /<svg/i, /<math/i, /<form/i, /<input/i, /<iframe/i, /<object/i, /<embed/i, /<style/i, /<meta/i, /<base/i, /<link/i, /<img/i, /<details/i, /<template/i, /href="\/\//i];

describe('the markdown renderer', () => {
  it.each(HOSTILE)('renders %s harmless', (input) => {
    const html = renderMarkdown(input);
    for (const pattern of FORBIDDEN) expect(html).not.toMatch(pattern);
  });

  it('keeps ordinary formatting', () => {
    const html = renderMarkdown('# Heading\n\nSome **bold** and _em_ text.\n\n- one\n- two\n\n> quoted\n\n`code`\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<h2>Heading</h2>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<td>1</td>');
  });

  it('marks links as user content and opens external ones in a new tab', () => {
    expect(renderMarkdown('[site](https://example.org/a)')).toBe('<p><a href="https://example.org/a" rel="nofollow ugc noopener" target="_blank">site</a></p>\n');
    expect(renderMarkdown('[page](/en/cases/)')).toBe('<p><a href="/en/cases/" rel="nofollow ugc noopener">page</a></p>\n');
    expect(renderMarkdown('<a href="/x" target="_top" rel="opener">x</a>')).not.toMatch(/_top|rel="opener"/);
  });

  it('escapes text that merely looks like markup', () => {
    expect(renderMarkdown('1 < 2 & 3 > 2')).toContain('1 &lt; 2 &amp; 3 &gt; 2');
  });

  it('gives plain text for excerpts', () => {
    expect(markdownToText('# Title\n\nSome **bold** <script>x</script> text & more')).toBe('Title Some bold text & more');
    expect(markdownToText('word '.repeat(100), 20)).toHaveLength(20);
  });
});

describe('renderMarkdown kept by source', () => {
  it('answers each source with its own rendering, the second time too', () => {
    const first = renderMarkdown('**one** [link](https://example.org/a)');
    const second = renderMarkdown('*two*');
    expect(renderMarkdown('**one** [link](https://example.org/a)')).toBe(first);
    expect(renderMarkdown('*two*')).toBe(second);
    expect(first).toContain('<strong>one</strong>');
    expect(second).toBe('<p><em>two</em></p>\n');
  });
});

describe('markdownToText without sanitize-html for markdown without HTML', () => {
  // The oracle: what markdownToText gave before its fast path, through sanitize-html every time.
  const oracle = (source: string) =>
    sanitizeHtml(new Marked({ gfm: true, breaks: false, async: false }).parse(source) as string, { allowedTags: [], allowedAttributes: {} })
      .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
      .replace(/\s+/g, ' ')
      .trim();
  const samples = [
    'Снижение потерь тепла в сетях, вариант 7: замена труб, **изоляция**, учёт.',
    '# Heading\n\nA paragraph with *emphasis*, `code`, ~~struck~~ and "quotes" and \'apostrophes\' > arrows.',
    '1. first\n2. second\n\n- one\n- two\n  - nested',
    '> quoted text\n> more\n\n---\n\nafter the rule',
    'A [link](https://example.org/a?b=c "the title") and an image ![alt text](/img.png) and www.example.com and me@example.org',
    '| a | b |\n|---|:-:|\n| 1 | 2 |',
    '```js\nconst x = "y" > 2;\n```\n\n    indented code',
    'line one  \nline two\\\nline three',
    'Теміртау қаласының жылу желілері — 2024 жылы 12% жаңартылды!',
    'Setext heading\n==============\n\nand another\n-----------',
    '',
    '*',
    '[ref]\n\n[ref]: https://example.org',
  ];
  it.each(samples)('gives what sanitize-html gives: %s', (source) => {
    expect(markdownToText(source, 20_000)).toBe(oracle(source));
  });
});
